#!/usr/bin/env bash
# Runs Twilio's official Conversations demo against the emulator, changing only its Twilsock.uri, and checks in
# Chromium what a user does with it (README.md here). A manual check: it installs the demo's ~2,000 npm packages and
# builds it (several minutes), so ./test.sh does not run it.
#   tools/twilio-demo/run.sh PATH_TO_A_CHECKOUT_OF_twilio-conversations-demo-react
set -euo pipefail
demo_src=$(realpath "${1:?usage: run.sh PATH_TO_twilio-conversations-demo-react}")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
emulator_port=${EMULATOR_PORT:-4010} token_port=${TOKEN_PORT:-4020} demo_port=${DEMO_PORT:-4030}

echo "== the demo, with only its Client's Twilsock.uri set (from the environment)"
cp -r "$demo_src" "$work/demo"
sed -i 's|new Client(token)|new Client(token, { Twilsock: { uri: process.env.REACT_APP_TWILSOCK_URI } })|' "$work/demo/src/components/AppContainer.tsx"
grep -q 'REACT_APP_TWILSOCK_URI' "$work/demo/src/components/AppContainer.tsx" || { echo "the demo's 'new Client(token)' was not found" >&2; exit 1; }
cat > "$work/demo/.env" <<ENV
REACT_APP_ACCESS_TOKEN_SERVICE_URL=http://127.0.0.1:$token_port/token
REACT_APP_TWILSOCK_URI=ws://127.0.0.1:$emulator_port/emulator/twilsock
ENV
(cd "$work/demo" && npm install --legacy-peer-deps --ignore-scripts --no-audit --no-fund --loglevel=error \
  && GENERATE_SOURCEMAP=false DISABLE_ESLINT_PLUGIN=true CI=false npx react-scripts build > "$work/build.log" 2>&1) \
  || { tail -20 "$work/build.log" 2>/dev/null; exit 1; }
(cd "$here" && npm install --no-audit --no-fund --loglevel=error)

echo "== the emulator, a token service (Twilio's node SDK) and the built demo"
dotnet run --project "$root/src/Twilio.ChatRooms.Emulator.Tool" -c Release -- --data-dir "$work/data" --port "$emulator_port" > "$work/emulator.log" 2>&1 &
pids+=($!)
until grep -q "listening" "$work/emulator.log" 2>/dev/null; do sleep 1; done
node "$here/token-service.mjs" "$work/data" "http://127.0.0.1:$emulator_port/emulator" "$token_port" &
pids+=($!)
python3 -m http.server "$demo_port" --bind 127.0.0.1 --directory "$work/demo/build" > /dev/null 2>&1 &
pids+=($!)
sleep 2

echo "== two users in Chromium"
base64 -d > "$work/picture.png" <<'PNG'
iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAF0lEQVR42mP8z8AARIQB46hCukpKAQBH0Q/xC1b6mwAAAABJRU5ErkJggg==
PNG
node "$here/demo-check.mjs" "http://127.0.0.1:$demo_port/" "http://127.0.0.1:$emulator_port/emulator" "$work/data" "$work/picture.png"
