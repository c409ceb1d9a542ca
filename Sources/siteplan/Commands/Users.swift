import ArgumentParser
import Foundation
import SiteFiles
import SitePlanning
import SiteServer
import SiteVocabulary

extension Siteplan {
    /// `siteplan users add|list|remove`: the accounts of `siteplan serve --auth`, kept in the store.
    struct Users: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage the accounts that may sign in to siteplan serve --auth.",
            discussion: """
            Accounts live in the plan of record (--store), with their role: viewers read, editors \
            also record works events, admins also manage users. Passwords are stored as scrypt \
            hashes, never as text.

            Examples:
              siteplan users add amina --role editor --password-stdin \\
                --store pr.gpkg <<< "correct horse battery"
              siteplan users list --store pr.gpkg
              siteplan serve --store pr.gpkg --auth
            """,
            subcommands: [Add.self, List.self, Remove.self]
        )

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Add an account, or change the role and password of one.",
                discussion: """
                At a terminal the password is asked twice, without echo; --password-stdin (or a \
                pipe) reads it from the first line of standard input. At least 8 characters.

                Examples:
                  siteplan users add bakhtiyar --role admin --password-stdin \\
                    --store pr.gpkg <<< "another long passphrase"
                """)

            @Argument(help: "The name to sign in with (letters, digits, '.', '_', '-').")
            var name: String
            @Option(help: ArgumentHelp("viewer, editor or admin.", valueName: "role"))
            var role: String
            @Flag(name: .customLong("password-stdin"), help: "Read the password from the first line of standard input (for scripts), instead of asking twice at the terminal.")
            var passwordStdin = false
            @Option(name: .customLong("by"), help: "Who adds it (default: $SITEPLAN_AUTHOR, else $USER).")
            var by: String?
            @OptionGroup var record: StoreOptions

            func validate() throws {
                guard Role(rawValue: role) != nil else { throw ValidationError("--role \(role): expected one of \(Role.wordList)") }
                do { try UserAccount.checkName(name) } catch let error as InputError { throw ValidationError(error.problem) }
            }

            func run() throws {
                try reportingErrors {
                    let location = try record.required(command: "users add")
                    let password = try readPassword()
                    let desk = try StoreDesk(location: location)
                    let existed = try desk.user(named: name) != nil
                    let author = by ?? ProcessInfo.processInfo.environment["SITEPLAN_AUTHOR"] ?? ProcessInfo.processInfo.environment["USER"] ?? "siteplan"
                    try desk.saveUser(UserAccount(name: name, role: Role(rawValue: role)!, passwordHash: try PasswordHash.make(password),
                                                  createdAt: UTCClock.timestamp(), createdBy: author))
                    print("\(existed ? "changed" : "added") \(name) (\(role)) in \(desk.location)")
                }
            }

            func readPassword() throws -> String {
                if passwordStdin || isatty(STDIN_FILENO) == 0 {
                    guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                        throw InputError(source: "standard input", "no password on the first line")
                    }
                    return line
                }
                guard let first = getpass("password for \(name): ").map({ String(cString: $0) }),
                      let second = getpass("again: ").map({ String(cString: $0) }) else {
                    throw InputError(source: "the terminal", "could not read a password")
                }
                guard first == second else { throw InputError(source: "the terminal", "the two passwords differ") }
                return first
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "List the accounts and their roles.",
                discussion: """
                Examples:
                  siteplan users list --store pr.gpkg
                """)
            @OptionGroup var record: StoreOptions

            func run() throws {
                try reportingErrors {
                    let desk = try StoreDesk(location: try record.required(command: "users list"))
                    for user in try desk.users() { print("\(user.name)\t\(user.role.rawValue)\tadded \(user.createdAt) by \(user.createdBy)") }
                }
            }
        }

        struct Remove: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Remove an account.",
                discussion: """
                Examples:
                  siteplan users remove bakhtiyar --store pr.gpkg
                """)
            @Argument(help: "The account's name.")
            var name: String
            @OptionGroup var record: StoreOptions

            func run() throws {
                try reportingErrors {
                    let desk = try StoreDesk(location: try record.required(command: "users remove"))
                    guard try desk.removeUser(named: name) else { throw InputError(source: desk.location, "no account \"\(name)\"") }
                    print("removed \(name) from \(desk.location)")
                }
            }
        }
    }
}
