import { strict as assert } from "node:assert";
import { createCipheriv, pbkdf2Sync, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { runProgram } from "../../tools/harness/index";
import { runGate } from "../../tools/gate/cli";
import { root, tmpDir } from "./helpers";

/** Encrypts as the passphrase secrets provider does (crypt.go symmetricCrypter: AES-256-GCM, PBKDF2-SHA256). */
function passphraseStack(passphrase: string): { salt: string; encrypt: (v: string) => string } {
  const salt = randomBytes(8);
  const key = pbkdf2Sync(passphrase, salt, 1_000_000, 32, "sha256");
  const encrypt = (value: string) => {
    const nonce = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key, nonce);
    const sealed = Buffer.concat([cipher.update(value, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `v1:${nonce.toString("base64")}:${sealed.toString("base64")}`;
  };
  return { salt: `v1:${salt.toString("base64")}:${encrypt("pulumi")}`, encrypt };
}

/**
 * `secure:` values in a stack file (issue 8): the real CLI decrypts them; the offline plan and gate treat
 * them as secrets, decrypt them where the passphrase is given, and never print them.
 */
describe("secure: stack config values", function () {
  this.timeout(300_000);
  const passphrase = "correct horse battery staple";
  const { salt, encrypt } = passphraseStack(passphrase);
  const owner = "platform-team";
  const ownerCiphertext = encrypt(owner);
  const token = encrypt("tok-4f9a1c");
  const file = path.join(tmpDir(), "Pulumi.sec.yaml");
  const base = fs.readFileSync(path.join(root, "Pulumi.dev.yaml"), "utf8");
  fs.writeFileSync(
    file,
    `encryptionsalt: ${salt}\n` +
      base.replace(
        "  platform:owner: platform-team\n",
        `  platform:owner:\n    secure: ${ownerCiphertext}\n`,
      ) +
      `  extra:token:\n    secure: ${token}\n  extra:nested:\n    url: https://example.com\n    password:\n      secure: v1:AAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBBBBBBBBBB\n`,
  );
  const saved = process.env.PULUMI_CONFIG_PASSPHRASE;
  afterEach(() => {
    if (saved === undefined) delete process.env.PULUMI_CONFIG_PASSPHRASE;
    else process.env.PULUMI_CONFIG_PASSPHRASE = saved;
  });

  it("with the passphrase, the plan decrypts them as the CLI does, marks them secret and never prints them", async () => {
    process.env.PULUMI_CONFIG_PASSPHRASE = passphrase;
    const result = await runProgram({ stack: "sec", root, configFile: file });
    assert.ok(result.ok, result.ok ? "" : result.errors.join("; "));
    const text = JSON.stringify(result.plan);
    for (const hidden of ["tok-4f9a1c", ownerCiphertext, token, "BBBBBBBB"])
      assert.ok(!text.includes(hidden), hidden);
    assert.equal(result.plan.config["platform:owner"], "[secret]");
    assert.equal(result.plan.config["extra:token"], "[secret]");
    assert.equal(result.plan.config["extra:nested"], "[secret]");
    // The program got the plaintext: the owner tag is the decrypted value.
    const tagged = result.plan.resources.find(
      (r) => (r.inputs.tags as Record<string, unknown> | undefined)?.owner,
    );
    assert.equal((tagged!.inputs.tags as Record<string, unknown>).owner, owner);

    let out = "";
    let err = "";
    const code = await runGate(["--stack", "sec", "--config", file, "--format", "json"], {
      stdout: (s) => (out += s),
      stderr: (s) => (err += s),
      isTty: false,
      cwd: root,
    });
    assert.equal(code, 0, err);
    for (const hidden of ["tok-4f9a1c", ownerCiphertext, token])
      assert.ok(!(out + err).includes(hidden), hidden);
  });

  it("without it, a secure value outside the program's keys is a secret placeholder and the plan still runs", async () => {
    delete process.env.PULUMI_CONFIG_PASSPHRASE;
    const plain = path.join(tmpDir(), "Pulumi.sec2.yaml");
    fs.writeFileSync(plain, base + `  aws:secretKey:\n    secure: ${token}\n`);
    const result = await runProgram({ stack: "sec2", root, configFile: plain });
    assert.ok(result.ok, result.ok ? "" : result.errors.join("; "));
    assert.equal(result.plan.config["aws:secretKey"], "[secret]");
    assert.ok(!JSON.stringify(result.plan).includes(token));
  });
});
