# Sourced by the pipeline's jobs (.gitlab-ci.yml) before they run the Taskfile: what a step needs
# from the CI/CD settings, each checked with one line naming what is missing, so that a job that
# lacks one says so in its first seconds; and what a job sets up for itself: a multi-platform
# builder, a login to the project's registry. The tools are in the job image
# (.gitlab/ci/tools/Dockerfile); the jobs' own work is `task …`, as on a laptop.
#   . .gitlab/ci/job.sh && use_aws && use_signing
set -eu

# Stops the job with one line unless a CI/CD variable is set.
require () {
  eval "value=\${$1:-}"
  if [ -z "$value" ]; then
    echo "$1 is not set: $2" >&2
    exit 1
  fi
}

# AWS credentials for the ECR steps: OIDC by default (the job's id_token for AWS_ROLE_ARN, through
# the AWS CLI's own web-identity support), else the workshop's access keys.
use_aws () {
  require AWS_REGION 'set it (e.g. eu-west-2) in Settings → CI/CD → Variables.'
  if [ -n "${AWS_ROLE_ARN:-}" ]; then
    if [ -z "${AWS_WEB_IDENTITY_TOKEN_FILE:-}" ]; then
      require AWS_ID_TOKEN 'the job has no OIDC token for AWS (id_tokens: AWS_ID_TOKEN).'
      AWS_WEB_IDENTITY_TOKEN_FILE="$(mktemp)"
      printf %s "$AWS_ID_TOKEN" > "$AWS_WEB_IDENTITY_TOKEN_FILE"
      export AWS_WEB_IDENTITY_TOKEN_FILE
    fi
    export AWS_ROLE_SESSION_NAME="gitlab-${CI_PROJECT_ID:-project}-${CI_JOB_ID:-job}"
  elif [ -z "${AWS_ACCESS_KEY_ID:-}" ] || [ -z "${AWS_SECRET_ACCESS_KEY:-}" ]; then
    echo 'No AWS credentials: set AWS_ROLE_ARN (a role that trusts this project'"'"'s OIDC tokens), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY as masked, protected CI/CD variables (README, "CI/CD on GitLab").' >&2
    exit 1
  fi
  export AWS_DEFAULT_REGION="$AWS_REGION"
}

# How image:sign signs: with the key pair of COSIGN_KEY (a file variable), else keyless, with
# GitLab's SIGSTORE_ID_TOKEN, as this project's pipeline; and how image:verify checks it after.
use_signing () {
  if [ -z "${COSIGN_KEY:-}" ]; then
    require SIGSTORE_ID_TOKEN 'with neither COSIGN_KEY (a file variable with a cosign private key) nor a Sigstore token (id_tokens: SIGSTORE_ID_TOKEN, GitLab.com), nothing can sign.'
  fi
  use_verification
}

# How image:verify checks a signature: with COSIGN_PUBLIC_KEY (a file variable, else the committed
# cosign.pub) where the project signs with a key pair, else keyless: a certificate that your GitLab
# issued to this project's pipelines.
use_verification () {
  if [ -z "${COSIGN_KEY:-}" ]; then
    export COSIGN_CERTIFICATE_OIDC_ISSUER="$CI_SERVER_URL" COSIGN_CERTIFICATE_IDENTITY_REGEXP="^$CI_PROJECT_URL//"
  fi
}

# A buildx builder that makes both platforms: the one named in BUILDX_BUILDER, else one of the
# job's own on its Docker engine, which the job's after_script removes (remove_job_builder).
use_multi_platform_builder () {
  if [ -z "${BUILDX_BUILDER:-}" ]; then
    docker buildx create --name "hbaas-ci-${CI_JOB_ID:-job}" --driver docker-container --bootstrap > /dev/null
    export BUILDX_BUILDER="hbaas-ci-${CI_JOB_ID:-job}"
  fi
}

# Removes the builder use_multi_platform_builder made, if it made one: on a runner that shares its
# host's Docker, nothing of the job stays behind.
remove_job_builder () {
  docker buildx rm "hbaas-ci-${CI_JOB_ID:-job}" > /dev/null 2>&1 || true
}

# Docker's login to this project's container registry, where the job image lives (CI_REGISTRY_*,
# which GitLab sets for every job).
use_gitlab_registry () {
  require CI_REGISTRY_IMAGE 'the job image lives in this project'"'"'s container registry: turn it on (Settings → General → Visibility).'
  printf %s "$CI_REGISTRY_PASSWORD" | docker login --username "$CI_REGISTRY_USER" --password-stdin "$CI_REGISTRY" > /dev/null
}
