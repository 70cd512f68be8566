"""teamroots: know, rank, staff, train and follow every production team of a plant."""

__version__ = "0.1.0"
