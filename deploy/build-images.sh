#!/usr/bin/env bash
# Builds the image of every service from deploy/docker/Dockerfile (one Maven build, shared by all).
#
#   deploy/build-images.sh                    # distpatterns/<service>:latest
#   PLATFORM_IMAGE_PREFIX=registry.example.com/distpatterns PLATFORM_IMAGE_TAG=0.1.0 deploy/build-images.sh --push
#
# Needs Docker with BuildKit (the default since Docker 23). The same names are what
# docker-compose.yml and k8s/ use.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

prefix="${PLATFORM_IMAGE_PREFIX:-distpatterns}"
tag="${PLATFORM_IMAGE_TAG:-latest}"
push=false
[[ "${1:-}" == "--push" ]] && push=true

# module:port, the ports of docs/architecture.md
services=(
  gateway-service:8080
  order-service:8081
  inventory-service:8082
  geo-service:8083
  shard-router:8084
  outbox-relay:8085
)

export DOCKER_BUILDKIT=1
for entry in "${services[@]}"; do
  module="${entry%%:*}"
  port="${entry##*:}"
  image="${prefix}/${module}:${tag}"
  echo "build-images: ${image}"
  docker build -f deploy/docker/Dockerfile \
    --build-arg "MODULE=${module}" --build-arg "PORT=${port}" \
    -t "${image}" .
  if $push; then
    docker push "${image}"
  fi
done
echo "build-images: done (${#services[@]} images, tag ${tag})"
