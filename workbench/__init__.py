"""workbench: qualitative coding of interviews, focus groups and questionnaire free text in the terminal."""

__version__ = "0.1.0"
