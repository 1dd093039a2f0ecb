//! `gatehouse token create --user NAME [--database URL]`: creates a hub API token and prints it
//! once (only its hash is stored). Exit codes: 0 ok, 2 database error.

use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::commands::serve::{DatabaseArg, runtime};
use crate::report_error;

#[derive(Args)]
pub struct TokenArgs {
    #[command(subcommand)]
    command: TokenCommand,
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create a token for USER; use it as `Authorization: Token <key>`.
    Create {
        /// Who the token belongs to (recorded in the audit log).
        #[arg(long, value_name = "NAME")]
        user: String,
        #[command(flatten)]
        database: DatabaseArg,
    },
}

pub fn run(args: TokenArgs) -> ExitCode {
    let TokenCommand::Create { user, database } = args.command;
    let result = database.url().and_then(|url| {
        runtime()?.block_on(async {
            let store = gatehouse_hub::Store::connect(&url).await?;
            let key = store.create_token(&user).await?;
            store.close().await;
            Ok::<_, anyhow::Error>(key)
        })
    });
    match result {
        Ok(key) => {
            outln!("{key}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            report_error(&err, None);
            ExitCode::from(2)
        }
    }
}
