"""The ninja-sandbox bench: ``bench/run`` measures the sandbox against a bare aiohttp baseline."""
