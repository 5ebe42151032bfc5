"""Connectors that fetch what people say and turn it into RawMention batches."""
