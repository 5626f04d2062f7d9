"""What-if work composed from geodata and matcher; for now, building the engine's inputs from a data folder."""
