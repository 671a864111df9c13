#!/usr/bin/env bash
# Install everything the portal needs into .venv: a Python >= 3.12, the pinned packages,
# the Debian libraries WeasyPrint uses (when missing and we may install them), a local .env.
# Safe to run again: it only does what is missing. BASTAU_PRODUCTION=1 installs the production
# packages only and writes no .env.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '%s\n' "$*"; }

python_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }

find_python() {
  local candidate
  for candidate in python3.13 python3.12 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
      command -v "$candidate"; return 0
    fi
  done
  # pyenv keeps several versions; its shims answer only when selected, so look at the files.
  local root
  root=$( (pyenv root 2>/dev/null) || echo "$HOME/.pyenv")
  for candidate in $(ls -d "$root"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do
    if python_ok "$candidate"; then echo "$candidate"; return 0; fi
  done
  return 1
}

if [ ! -x .venv/bin/python ] || ! python_ok .venv/bin/python; then
  if ! PY=$(find_python); then
    say "No Python 3.12 or newer was found (Django 6.1 needs it)."
    say "Install one: 'sudo apt-get install python3.12 python3.12-venv' (Ubuntu 24.04),"
    say "'sudo apt-get install python3 python3-venv' (Debian 13), or 'pyenv install 3.12'."
    exit 1
  fi
  say "Creating .venv with $PY ($("$PY" --version))"
  rm -rf .venv
  "$PY" -m venv .venv
fi

# Development (the default: tests, linters, hooks) installs requirements-dev.txt, which includes
# requirements.txt; BASTAU_PRODUCTION=1 installs only what runs the portal. Reinstall only when a
# file of the chosen set changed since the last install (or the set itself changed).
if [ "${BASTAU_PRODUCTION:-0}" = 1 ]; then
  set_name=production; files=(requirements.txt)
else
  set_name=development; files=(requirements.txt requirements-dev.txt)
fi
stamp=.venv/.requirements.sha
want="$set_name $(cat "${files[@]}" | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "Installing the pinned $set_name packages from ${files[-1]}"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "${files[-1]}"
  echo "$want" > "$stamp"
fi

# WeasyPrint needs Pango; HarfBuzz's subsetter makes each PDF ~240 ms faster per font.
missing=()
for lib in libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0; do
  ldconfig -p 2>/dev/null | grep -q "$lib" || missing+=("$lib")
done
# Certificates name DejaVu Sans (Kazakh letters) and embed it: the font must be installed.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=("DejaVuSans.ttf")
if ((${#missing[@]})); then
  pkgs="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "Installing Debian libraries for PDF rendering: $pkgs"
    if ! (apt-get install -y -qq $pkgs >/dev/null 2>&1 || (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq $pkgs >/dev/null 2>&1)); then
      say "Warning: could not install $pkgs; PDFs may fail or be slow."
    fi
  else
    say "Warning: ${missing[*]} not found. For PDFs run: sudo apt-get install $pkgs"
  fi
fi

# Production reads its variables from the environment (.env.example lists them): never a DEBUG=1 .env.
if [ "$set_name" = development ] && [ ! -f .env ]; then
  cp .env.development .env
  say "Wrote .env for local development (DEBUG on, SQLite, tasks in-process)."
fi

# Certificate PDFs are signed (PAdES): a development machine gets a self-signed pair in var/signing/
# (git-ignored; never used in production, where CERTIFICATE_SIGNING_KEY/CERT name the real one).
if [ "$set_name" = development ] && [ ! -f var/signing/key.pem ]; then
  DEBUG=1 .venv/bin/python manage.py certificate_signing_pair >/dev/null 2>&1 \
    && say "Wrote a self-signed certificate-signing pair for development in var/signing/." \
    || say "Warning: could not create var/signing/ (certificate PDFs will fail to sign)."
fi
