//! The Solana CLI's conventions the command line follows: `--url` monikers, the config file's
//! RPC URL and keypair.

use std::path::{Path, PathBuf};

use solana_derivation_path::DerivationPath;
use solana_keypair::seed_derivable::keypair_from_seed_and_derivation_path;
use solana_sdk::signature::{read_keypair_file, Keypair};
use solana_seed_phrase::generate_seed_from_seed_phrase_and_passphrase;

use super::CliError;

/// The Solana CLI's cluster monikers.
pub const MONIKERS: [(&str, &str, &str); 4] = [
    ("localhost", "l", "http://localhost:8899"),
    ("devnet", "d", "https://api.devnet.solana.com"),
    ("testnet", "t", "https://api.testnet.solana.com"),
    ("mainnet-beta", "m", "https://api.mainnet-beta.solana.com"),
];

/// The RPC URL for `--url` (a URL or a moniker), else the Solana CLI config's, else localhost.
pub fn resolve_url(url: Option<&str>, config: &SolanaConfig) -> String {
    let chosen = url
        .map(str::to_string)
        .or_else(|| config.json_rpc_url.clone())
        .unwrap_or_else(|| "localhost".into());
    MONIKERS
        .iter()
        .find(|(name, short, _)| chosen == *name || chosen == *short)
        .map_or(chosen.clone(), |(_, _, url)| url.to_string())
}

/// `url` (as `resolve_url` gives it, from `given` or `config`) if it is an http(s) URL with a
/// host: refused before anything else runs otherwise, naming where it came from.
pub fn check_url(url: &str, given: Option<&str>, config: &SolanaConfig) -> Result<(), CliError> {
    let parsed = url::Url::parse(url).ok();
    let usable = parsed.as_ref().is_some_and(|parsed| {
        matches!(parsed.scheme(), "http" | "https") && parsed.host_str().is_some()
    });
    match usable {
        true => Ok(()),
        false => {
            let origin = match (given, &config.path) {
                (None, Some(path)) => format!("json_rpc_url in {}", path.display()),
                _ => "--url".to_string(),
            };
            Err(CliError::Invalid(format!(
                "{origin} {url:?} is neither an http(s) URL nor a moniker ({})",
                MONIKERS.map(|(name, _, _)| name).join(", ")
            )))
        }
    }
}

/// The settings of the Solana CLI's config file that the CLI follows.
#[derive(Debug, Default, Clone)]
pub struct SolanaConfig {
    /// The file the settings came from.
    pub path: Option<PathBuf>,
    pub json_rpc_url: Option<String>,
    pub keypair_path: Option<PathBuf>,
    /// processed, confirmed or finalized.
    pub commitment: Option<String>,
}

impl SolanaConfig {
    /// `path`, which must exist, or the Solana CLI's default location, where an absent file
    /// gives no settings.
    pub fn load(path: Option<&Path>) -> Result<Self, CliError> {
        if let Some(path) = path.filter(|path| !path.exists()) {
            return Err(CliError::Invalid(format!(
                "--config {}: no such file",
                path.display()
            )));
        }
        let default = home().map(|home| home.join(".config/solana/cli/config.yml"));
        let Some(path) = path.map(Path::to_path_buf).or(default) else {
            return Ok(Self::default());
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Self {
                path: Some(path),
                ..Self::parse(&text)
            }),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(err) => Err(CliError::Invalid(format!(
                "cannot read {}: {err}",
                path.display()
            ))),
        }
    }

    /// Reads the `key: value` lines of the config's YAML.
    pub fn parse(text: &str) -> Self {
        let value = |key: &str| {
            text.lines().find_map(|line| {
                let rest = line
                    .trim()
                    .strip_prefix(key)?
                    .trim_start()
                    .strip_prefix(':')?;
                let value = rest.trim().trim_matches(|c| c == '"' || c == '\'');
                (!value.is_empty()).then(|| value.to_string())
            })
        };
        Self {
            path: None,
            json_rpc_url: value("json_rpc_url"),
            keypair_path: value("keypair_path").map(PathBuf::from),
            commitment: value("commitment"),
        }
    }

    /// The keypair file: `--keypair`, else the config's, else the Solana CLI's default.
    pub fn keypair_path(&self, given: Option<&Path>) -> PathBuf {
        given
            .map(Path::to_path_buf)
            .or_else(|| self.keypair_path.clone())
            .unwrap_or_else(|| home().unwrap_or_default().join(".config/solana/id.json"))
    }
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME").map(PathBuf::from)
}

/// A signer as the Solana CLI takes one: a keypair file; `ASK` (the legacy derivation) or
/// `prompt://` (BIP44, `prompt://?key=ACCOUNT/CHANGE` for another key) for a seed phrase and
/// passphrase, asked without echo at a terminal, else read as two lines of standard input;
/// `stdin` for a keypair's JSON on standard input. `usb://` hardware wallets are refused, with
/// why.
pub fn load_keypair(path: &Path, skip_seed_phrase_validation: bool) -> Result<Keypair, CliError> {
    let source = path.to_string_lossy();
    let failed = |reason: String| CliError::Keypair {
        path: path.to_path_buf(),
        reason,
    };
    if source == "ASK" {
        let (phrase, passphrase) = seed_phrase(skip_seed_phrase_validation)?;
        return solana_keypair::keypair_from_seed_phrase_and_passphrase(&phrase, &passphrase)
            .map_err(|err| failed(err.to_string()));
    }
    if let Some(query) = source.strip_prefix("prompt:") {
        let derivation = match query.split_once("?key=") {
            Some((_, key)) => Some(DerivationPath::from_key_str(key).map_err(|err| {
                CliError::Invalid(format!("{source}: not a derivation path: {err}"))
            })?),
            None => None,
        };
        let (phrase, passphrase) = seed_phrase(skip_seed_phrase_validation)?;
        let seed = generate_seed_from_seed_phrase_and_passphrase(&phrase, &passphrase);
        return keypair_from_seed_and_derivation_path(&seed, derivation)
            .map_err(|err| failed(err.to_string()));
    }
    if source == "stdin" {
        return solana_keypair::read_keypair(&mut std::io::stdin()).map_err(|err| {
            failed(format!(
                "cannot read a keypair's JSON from standard input: {err}"
            ))
        });
    }
    if source.starts_with("usb:") {
        return Err(CliError::Invalid(format!(
            "{source}: hardware wallets need the Solana CLI's remote-wallet support and the USB \
             libraries (libudev), which this build leaves out; sign with a keypair file, \
             prompt:// or stdin"
        )));
    }
    if !path.exists() {
        return Err(failed(
            "no such file. Create one with `solana-keygen new`, or pass --keypair".into(),
        ));
    }
    read_keypair_file(path).map_err(|err| {
        failed(format!(
            "it holds no keypair ({err}): a keypair file is the JSON array of 64 numbers \
             `solana-keygen new` writes"
        ))
    })
}

/// A seed phrase and its passphrase (empty for none), asked without echo at a terminal, else
/// read from standard input, a line each; the phrase's words and BIP39 checksum checked unless
/// `skip_validation`.
fn seed_phrase(skip_validation: bool) -> Result<(String, String), CliError> {
    let phrase = ask("Seed phrase: ")?;
    let passphrase = ask("Passphrase (empty for none): ")?;
    let phrase = phrase.split_whitespace().collect::<Vec<_>>().join(" ");
    if !skip_validation {
        check_seed_phrase(&phrase)?;
    } else if phrase.split_whitespace().count() < 12 {
        return Err(CliError::Invalid("a seed phrase has 12 or 24 words".into()));
    }
    Ok((phrase, passphrase))
}

/// Refuses a seed phrase whose words are not BIP39's English list or whose checksum fails: a
/// mistyped phrase would derive another, empty wallet.
fn check_seed_phrase(phrase: &str) -> Result<(), CliError> {
    bip39::Mnemonic::parse_normalized(phrase)
        .map(drop)
        .map_err(|err| {
            CliError::Invalid(format!(
                "the seed phrase does not check out ({err}): a mistyped phrase derives another, \
                 empty wallet; check it, or pass --skip-seed-phrase-validation"
            ))
        })
}

fn ask(prompt: &str) -> Result<String, CliError> {
    use std::io::{BufRead, IsTerminal};
    let unread = |err: std::io::Error| CliError::Invalid(format!("cannot read {prompt}{err}"));
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(prompt).map_err(unread);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(unread)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_monikers_and_the_solana_config_resolve_like_the_solana_cli() {
        let config = SolanaConfig::parse(
            "---\njson_rpc_url: \"https://api.devnet.solana.com\"\nwebsocket_url: \"\"\n\
             keypair_path: /home/me/.config/solana/id.json\ncommitment: confirmed\n",
        );
        assert_eq!(
            config.json_rpc_url.as_deref(),
            Some("https://api.devnet.solana.com")
        );
        assert_eq!(
            config.keypair_path(None),
            PathBuf::from("/home/me/.config/solana/id.json")
        );
        assert_eq!(
            config.keypair_path(Some(Path::new("other.json"))),
            PathBuf::from("other.json")
        );
        assert_eq!(resolve_url(None, &config), "https://api.devnet.solana.com");
        assert_eq!(resolve_url(Some("l"), &config), "http://localhost:8899");
        assert_eq!(
            resolve_url(Some("localhost"), &config),
            "http://localhost:8899"
        );
        assert_eq!(
            resolve_url(Some("mainnet-beta"), &config),
            "https://api.mainnet-beta.solana.com"
        );
        assert_eq!(
            resolve_url(Some("http://10.0.0.1:8899"), &config),
            "http://10.0.0.1:8899"
        );
        assert_eq!(
            resolve_url(None, &SolanaConfig::default()),
            "http://localhost:8899"
        );
    }
}
