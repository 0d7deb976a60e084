"""Files customers and agents send: checked by content, images re-encoded, stored behind a Storage."""
