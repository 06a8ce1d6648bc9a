"""Documents made from records: the invoice PDF."""
