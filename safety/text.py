"""Text clean-up shared by the NLU input sanitizer and the crisis screen, so both see the same text."""
import re
import unicodedata


def clean_text(text: str) -> str:
    """NFKC-normalised text: invisible format characters (zero-width spaces) removed, other control
    characters turned into spaces, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(
        "" if unicodedata.category(ch) == "Cf" else " " if unicodedata.category(ch)[0] == "C" else ch
        for ch in text
    )
    return re.sub(r"\s+", " ", text).strip()
