// The system's OpenSSL libcrypto (libssl-dev): scrypt, SHA-256, random bytes, constant-time compare.
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
