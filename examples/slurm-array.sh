#!/bin/bash
#SBATCH --job-name=bumpscan
#SBATCH --cpus-per-task=1
#SBATCH --output=slurm-%A_%a.out
# One task of a Slurm array: task k runs shard k of N of a bumpscan scan, its mass points and
# (with --lee-toys) its background-only toy scans, and writes shard-k.json in the submit folder.
#   sbatch --array=1-N slurm-array.sh N spec.json [scan options]   then   bumpscan merge shard-*.json -o results.json
# N is given, not read from the array, so that `sbatch --array=3 slurm-array.sh N …` reruns task 3 alone.
set -euo pipefail
n=$1 spec=$2
shift 2
${BUMPSCAN:-npx bumpscan} scan "$spec" --workers "${SLURM_CPUS_PER_TASK:-1}" --quiet \
  --shard "$SLURM_ARRAY_TASK_ID/$n" --out "shard-$SLURM_ARRAY_TASK_ID.json" "$@"
