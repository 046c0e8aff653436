"""Playing seeded bot games on the engine alone, and summarising many of them."""
