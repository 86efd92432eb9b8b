#!/usr/bin/env bash
# A PNG chart of a benchmark's TSV result, drawn by gnuplot (Debian's gnuplot-nox, installed if missing).
#
#   bench/chart.sh <data.tsv> <chart.png> <title> [y-axis label]
#
# The TSV's first row names the columns. The first column is the x axis: numbers (e.g. seconds into the run) draw
# one line per further column; anything else (e.g. "Node-RED", "Weft") draws grouped bars, one group per row and
# one bar per further column.
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,8p' "$0" >&2; exit 64; }
DATA=$1 PNG=$2 TITLE=$3 YLABEL=${4:-}
[ -s "$DATA" ] || { echo "no data in $DATA" >&2; exit 1; }
if ! command -v gnuplot >/dev/null; then
  as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gnuplot-nox >/dev/null
fi
columns=$(head -1 "$DATA" | awk -F'\t' '{print NF}')
first_x=$(sed -n 2p "$DATA" | cut -f1)
if [[ "$first_x" =~ ^-?[0-9.]+$ ]]; then
  plot="plot for [i=2:$columns] '$DATA' using 1:i with lines linewidth 2 title columnheader(i)"
  style="set xlabel '$(head -1 "$DATA" | cut -f1)'"
else
  plot="plot for [i=2:$columns] '$DATA' using i:xtic(1) title columnheader(i)"
  style="set style data histograms; set style histogram clustered gap 1; set style fill solid 0.85 border -1; set yrange [0:*]"
fi
gnuplot <<EOF
set terminal pngcairo size 900,500 font 'sans,10'
set output '$PNG'
set datafile separator '\t'
set title '$TITLE'
set ylabel '$YLABEL'
set key outside right top
set grid ytics
$style
$plot
EOF
echo "$PNG"
