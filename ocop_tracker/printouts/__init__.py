"""Printable PDFs of OCOP certificates and decision listings (plain data in, bytes out)."""
