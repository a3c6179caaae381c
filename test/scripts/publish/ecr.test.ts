import { existsSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ecrRegion, registryHost } from '../../../scripts/publish/ecr.mjs'
import { ROOT } from '../../helpers/root'
import { run } from '../../helpers/processes'

/** An AWS CLI that answers from a table, and records what it was asked. */
const awsCli = (answers: Record<string, string>) => {
  const asked: string[] = []
  const ask = (args: string[]) => {
    asked.push(args.join(' '))
    return answers[args.join(' ')] ?? ''
  }
  return { ask, asked }
}

t.test('the region: the environment first, else the AWS CLI\'s settings, else a line that says how to give one', async t => {
  const cli = awsCli({ 'configure get region': 'eu-central-1' })
  t.equal(ecrRegion({ AWS_REGION: 'eu-west-2' }, cli.ask), 'eu-west-2')
  t.equal(ecrRegion({ AWS_DEFAULT_REGION: 'us-east-1' }, cli.ask), 'us-east-1')
  t.same(cli.asked, [], 'the CLI is not asked what the environment says')
  t.equal(ecrRegion({}, cli.ask), 'eu-central-1', 'aws configure, AWS_PROFILE')
  t.throws(() => ecrRegion({}, awsCli({}).ask), { message: /^No AWS region for ECR: export AWS_REGION=.*aws configure set region.*CONTAINER_REGISTRY/ })
})

t.test('the registry: the one given, else ECR\'s host of the account and region', async t => {
  const cli = awsCli({ 'sts get-caller-identity --query Account --output text': '210987654321' })
  t.equal(registryHost({}, 'registry.example.com', cli.ask), 'registry.example.com')
  t.same(cli.asked, [], 'another registry needs nothing of AWS')
  t.equal(registryHost({ AWS_REGION: 'eu-west-2', AWS_ACCOUNT_ID: '123456789012' }, '', cli.ask), '123456789012.dkr.ecr.eu-west-2.amazonaws.com')
  t.equal(registryHost({ AWS_REGION: 'eu-west-2' }, undefined, cli.ask), '210987654321.dkr.ecr.eu-west-2.amazonaws.com', 'the account from the credentials')
  t.throws(() => registryHost({ AWS_REGION: 'eu-west-2' }, undefined, awsCli({}).ask), { message: /^No AWS account for ECR: export AWS_ACCOUNT_ID, or give the AWS CLI credentials/ })
})

t.test('run as a script: the answer on stdout, or one line on stderr and exit code 1; without the AWS CLI, that says so', async t => {
  const script = (args: string[], env: NodeJS.ProcessEnv) => run(process.execPath, [join(ROOT, 'scripts/publish/ecr.mjs'), ...args], { env })
    .then(({ stdout }) => ({ code: 0, stdout, stderr: '' }), (error: { code: number, stdout: string, stderr: string }) => error)
  t.match(await script(['region'], { AWS_REGION: 'eu-west-2' }), { code: 0, stdout: 'eu-west-2\n' })
  t.match(await script(['registry', '127.0.0.1:5000'], {}), { code: 0, stdout: '127.0.0.1:5000\n' })
  // An AWS CLI that answers nothing (no `aws configure` in this HOME): the region is missing.
  t.match(await script(['region'], { PATH: process.env.PATH, HOME: t.testdir() }), { code: 1, stderr: /^(No AWS region for ECR|The AWS CLI is not installed)/ })
  const withoutAws = (process.env.PATH ?? '').split(':').filter(dir => !existsSync(join(dir, 'aws'))).join(':')
  t.match(await script(['registry'], { PATH: withoutAws }), { code: 1, stderr: /^The AWS CLI is not installed: see https:\/\/aws\.amazon\.com\/cli\/[^\n]*\n$/ })
})
