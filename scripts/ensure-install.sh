#!/bin/sh
# Installs the dependencies on a fresh clone (and after package-lock.json changes), with Node 24 from
# the npm registry: Hardhat 3 needs Node >= 22.13 and this machine may have an older one. Every npm
# script then finds Node 24 first on its PATH through node_modules/.bin (the `node` devDependency).
#
# `npm install --no-save` installs exactly the versions in package-lock.json. `npm ci` would too, but
# it refuses a lock that lacks the optional platform packages (other OSes' builds of Biome and EDR),
# and registry mirrors that do not serve those packages produce exactly such locks.
set -e
cd "$(dirname "$0")/.."
stamp=node_modules/.package-lock.json
if [ -x node_modules/.bin/node ] && [ -f "$stamp" ] && [ ! package-lock.json -nt "$stamp" ]; then
  exit 0
fi
echo "gram: installing dependencies with Node 24 (first run only)..." >&2
npx -y -p node@24 -- npm install --no-save --no-audit --no-fund --loglevel=error
