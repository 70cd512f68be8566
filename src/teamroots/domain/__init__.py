"""Plain values of teamroots: enums with labels and dataclasses. Imports nothing else of ours
except i18n for labels."""
