// Where your AWS ECR is, for the tasks that push to it or log in to it: the region, and the
// registry's host {account}.dkr.ecr.{region}.amazonaws.com. Each comes from the environment when
// it says (AWS_REGION or AWS_DEFAULT_REGION, AWS_ACCOUNT_ID), else from the AWS CLI's own settings
// (`aws configure`, AWS_PROFILE), which only the tasks that need them ask.
//   node scripts/publish/ecr.mjs region               the region
//   node scripts/publish/ecr.mjs registry [REGISTRY]  REGISTRY if one is given (CONTAINER_REGISTRY), else ECR's host
// What cannot be found is said in one line, with how to give it, and the exit code is 1.
import { execFileSync } from 'node:child_process'
import { isMain } from '../lib/main.mjs'

const ELSEWHERE = 'to push to another registry, set CONTAINER_REGISTRY.'
const NO_REGION = `No AWS region for ECR: export AWS_REGION=eu-west-2 (or AWS_DEFAULT_REGION), or set one with \`aws configure set region eu-west-2\`; ${ELSEWHERE}`
const NO_ACCOUNT = 'No AWS account for ECR: export AWS_ACCOUNT_ID, or give the AWS CLI credentials (`aws configure`, or AWS_PROFILE) ' +
  `so that \`aws sts get-caller-identity\` answers; ${ELSEWHERE}`
const NO_AWS_CLI = 'The AWS CLI is not installed: see https://aws.amazon.com/cli/, then run `aws configure`.'

/** What the AWS CLI answers, trimmed, or '' when it answers nothing. @param {string[]} args */
function aws (args) {
  try {
    return execFileSync('aws', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ENOENT') throw new Error(NO_AWS_CLI)
    return ''
  }
}

/** The region, from the environment or the AWS CLI. @param {NodeJS.ProcessEnv} env @param {typeof aws} ask */
function ecrRegion (env, ask = aws) {
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || ask(['configure', 'get', 'region'])
  if (!region) throw new Error(NO_REGION)
  return region
}

/** The registry's host: the one given, else ECR's, its account from the environment or the AWS CLI. @param {NodeJS.ProcessEnv} env @param {string} [given] @param {typeof aws} ask */
function registryHost (env, given, ask = aws) {
  if (given) return given
  const region = ecrRegion(env, ask)
  const account = env.AWS_ACCOUNT_ID || ask(['sts', 'get-caller-identity', '--query', 'Account', '--output', 'text'])
  if (!account) throw new Error(NO_ACCOUNT)
  return `${account}.dkr.ecr.${region}.amazonaws.com`
}

export { ecrRegion, registryHost }

if (isMain(import.meta)) {
  const [what, given] = process.argv.slice(2)
  try {
    console.log(what === 'region' ? ecrRegion(process.env) : registryHost(process.env, given))
  } catch (error) {
    console.error(/** @type {Error} */ (error).message)
    process.exitCode = 1
  }
}
