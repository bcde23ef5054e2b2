#!/usr/bin/env bash
# Train the model only when training data, domain or config changed.
# The model file is named after a hash of those files' contents (not their timestamps, which a
# fresh clone resets), so an unchanged project reuses models/model-<hash>.tar.gz.
# Prints the model path on the last line.
set -euo pipefail
cd "$(dirname "$0")/.."
RASA=${RASA:-.venv/bin/rasa}

hash=$(find config.yml domain.yml data/nlu data/rules data/stories -type f -name '*.yml' -print0 \
  | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-12)
model="models/model-${hash}.tar.gz"

if [ -f "$model" ]; then
  echo "Model up to date: $model (training data and config unchanged)" >&2
else
  echo "Training a new model ($model); this takes a few minutes on 2 cores..." >&2
  "$RASA" train --out models \
    --fixed-model-name "model-${hash}" >&2
fi
echo "$model"
