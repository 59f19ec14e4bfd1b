import fs from 'node:fs';
import readline from 'node:readline';

/**
 * The new account's password: $STAFF_PASSWORD if set, else the first line of stdin when piped,
 * else asked for on the terminal without echo. Never taken from argv (it would land in shell history).
 */
export async function readNewPassword(): Promise<string> {
  const fromEnv = process.env.STAFF_PASSWORD;
  let password: string;
  if (fromEnv) password = fromEnv;
  else if (!process.stdin.isTTY) password = firstLine();
  else password = await prompt('Password (8+ characters): ');
  if (password.length < 8) throw new Error('The password must be at least 8 characters.');
  return password;
}

function firstLine(): string {
  // Straight from fd 0: the stream may already have been drained while the database opened.
  return (fs.readFileSync(0, 'utf8').split(/\r?\n/)[0] ?? '').trim();
}

function prompt(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const out = rl as unknown as { _writeToOutput: (s: string) => void };
    process.stdout.write(question);
    out._writeToOutput = () => {}; // hide what is typed
    rl.question('', (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
  });
}

export const LOGIN_RE = /^[A-Za-z0-9_.@-]{1,64}$/;
