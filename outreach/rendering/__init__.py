"""Templates of sequence emails: parsing, safe rendering, the composed email of a step."""
