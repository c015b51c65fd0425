#!/usr/bin/env bash
# Container health check: healthy when GET /actuator/health/readiness answers 200.
# Needs only bash (its /dev/tcp), so the JRE image needs no curl or wget and no second JVM.
# Usage: healthcheck [path]   (port from SERVER_PORT, default 8080)
set -u
port="${SERVER_PORT:-8080}"
path="${1:-/actuator/health/readiness}"

exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nAccept: application/json\r\nConnection: close\r\n\r\n' "$path" >&3
IFS= read -r -t 5 status <&3 || exit 1
exec 3<&- 3>&-
# "HTTP/1.1 200 OK", "HTTP/1.1 200 " (Tomcat sends no reason phrase) or "HTTP/1.0 200 OK" (Netty)
[[ "$status" =~ ^HTTP/1\.[01]\ 200([[:space:]]|$) ]]
