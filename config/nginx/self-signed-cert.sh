#!/bin/sh
# Creates the self-signed certificate nginx starts with when there is none yet (the first
# run): $KI_NGINX_TLS_DIR/cert.pem and key.pem, for $KI_NGINX_SERVER_NAME. For real use,
# replace both files with the office's certificate and key (same names) and reload nginx.
# Used by scripts/prod.sh, and by the official nginx image as a /docker-entrypoint.d script.
set -eu
dir="${KI_NGINX_TLS_DIR:-/etc/nginx/tls}"
name="${KI_NGINX_SERVER_NAME:-localhost}"
case "$name" in "" | "_" | *" "*) name=localhost ;; esac
if [ -s "$dir/cert.pem" ] && [ -s "$dir/key.pem" ]; then
    exit 0
fi
mkdir -p "$dir"
umask 077
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 825 -subj "/CN=$name" \
    -addext "subjectAltName=DNS:$name,DNS:*.$name,DNS:localhost,IP:127.0.0.1" \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
echo "Created a self-signed certificate for $name in $dir: replace cert.pem and key.pem with the office's." >&2
