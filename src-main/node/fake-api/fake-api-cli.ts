// Entry point of `npm run fake-api` (tsx src-main/node/fake-api/fake-api-cli.ts): starts the fake
// API, mints a development token, or lists example companies. See USAGE in fake-api-cli-args.ts.
// The ready line goes to stdout exactly as "listening on http://127.0.0.1:<port>" so scripts and
// tests can wait for it; a token is printed only by the explicit `mint-token` command.
import { parseCliArgs, USAGE } from './fake-api-cli-args';
import { DEV_TOKEN_SECRET, mintDevToken } from './dev-token';
import { startFakeApi } from './fake-api-server';
import { SyntheticCompanies, type CompanyTrait } from './synthetic-companies';

const SAMPLE_TRAITS: readonly CompanyTrait[][] = [
  ['active', 'urssaf_ok', 'dgfip_known'],
  ['ceased'],
  ['partially_diffusible'],
  ['association'],
  ['sole_trader'],
  ['urssaf_refused'],
  ['urssaf_unknown'],
  ['dgfip_unknown'],
  ['qualibat'],
  ['rge'],
  ['no_certification'],
  ['several_establishments'],
  ['closed_establishment'],
  ['msa'],
];

function secret(): string {
  return process.env.VIGIE_FAKE_API_SECRET || DEV_TOKEN_SECRET;
}

async function main(argv: readonly string[]): Promise<number> {
  // `... sample | head` closes the pipe early: that is not an error
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
  });
  const parsed = parseCliArgs(argv);
  switch (parsed.command) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case 'mint-token':
      process.stdout.write(`${mintDevToken({ ...parsed.mint, secret: secret() })}\n`);
      process.stderr.write('Jeton de développement : valable uniquement pour la fausse API locale.\n');
      return 0;
    case 'sample': {
      const companies = new SyntheticCompanies({ seed: parsed.seed, count: parsed.companyCount });
      for (const traits of SAMPLE_TRAITS) {
        for (const company of companies.find(traits, 3)) {
          process.stdout.write(`${traits.join('+').padEnd(28)} ${company.siren}  ${company.establishments[0]?.siret ?? ''}  ${company.name}\n`);
        }
      }
      return 0;
    }
    case 'serve': {
      const api = await startFakeApi({ ...parsed.options, jwtSecret: secret() });
      process.stdout.write(`listening on ${api.url}\n`);
      const stop = (): void => {
        void api.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return -1;
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    process.exitCode = 2;
  },
);
