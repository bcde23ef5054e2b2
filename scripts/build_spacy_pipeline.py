"""Build the local spaCy pipeline that SpacyNLP loads by path (config.yml).

No spaCy model can be downloaded on our machines, so we build one from what PyPI ships: a blank
English tokenizer plus the lookup lemmatiser from spacy-lookups-data. Lemmas let the count-vector
featurizers treat "cried"/"cries"/"crying" alike. It has no word vectors.

With internet access you can use a full model instead:
    python -m spacy download en_core_web_md
and set `model: en_core_web_md` under SpacyNLP in config.yml (then retrain).

Usage: python scripts/build_spacy_pipeline.py [output_dir]   (default: build/spacy-en-lookup)
"""
import sys
from pathlib import Path

import spacy

DEFAULT_OUTPUT = Path("build/spacy-en-lookup")


def build(output: Path) -> Path:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the lemma lookup table from spacy-lookups-data
    nlp.meta["name"] = "en_lookup"
    nlp.meta["description"] = "Blank English pipeline with lookup lemmatiser (built locally)"
    output.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    return output


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT
    build(target)
    check = spacy.load(target)
    lemmas = [t.lemma_ for t in check("my therapist cried and teared up")]
    print(f"spaCy pipeline written to {target}; lemmas: {lemmas}")
