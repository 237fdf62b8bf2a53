package sluicewire

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
)

// SignatureHeader is the Kafka record header that carries an owner's signature of a request.
const SignatureHeader = "sluice-signature"

const maxKeyFileBytes = 16 * 1024

// OwnerKey is an owner's EC P-256 key, as `sluice keygen` writes it (a PKCS#8 PEM private key, then its public key).
type OwnerKey struct {
	private *ecdsa.PrivateKey
	// KeyID is the RFC 7638 thumbprint of the public key, the kid of every signature.
	KeyID string
}

// ReadOwnerKey reads the first PRIVATE KEY block of a PEM file.
func ReadOwnerKey(path string) (*OwnerKey, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.Size() > maxKeyFileBytes {
		return nil, fmt.Errorf("%s: not a key file (%d bytes)", path, info.Size())
	}
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	for rest := text; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return nil, fmt.Errorf("%s: no '-----BEGIN PRIVATE KEY-----' block (unencrypted PKCS#8)", path)
		}
		if block.Type != "PRIVATE KEY" {
			continue
		}
		parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		key, ok := parsed.(*ecdsa.PrivateKey)
		if !ok || key.Curve != elliptic.P256() {
			return nil, fmt.Errorf("%s: not an EC P-256 key", path)
		}
		return &OwnerKey{private: key, KeyID: Thumbprint(&key.PublicKey)}, nil
	}
}

func b64url(data []byte) string {
	return base64.RawURLEncoding.EncodeToString(data)
}

// Thumbprint is the RFC 7638 thumbprint of an EC P-256 public key: SHA-256 of its JWK's required members, in order.
func Thumbprint(key *ecdsa.PublicKey) string {
	jwk := fmt.Sprintf(`{"crv":"P-256","kty":"EC","x":"%s","y":"%s"}`,
		b64url(key.X.FillBytes(make([]byte, 32))), b64url(key.Y.FillBytes(make([]byte, 32))))
	sum := sha256.Sum256([]byte(jwk))
	return b64url(sum[:])
}

// Sign is the sluice-signature header value over a record's value exactly as sent: a JWS (RFC 7515), ES256, its
// payload detached (appendix F), its signature R || S (32 bytes each, RFC 7518 section 3.4).
func (k *OwnerKey) Sign(value []byte) (string, error) {
	header, _ := json.Marshal(map[string]string{"alg": "ES256", "kid": k.KeyID})
	protected := b64url(header)
	digest := sha256.Sum256([]byte(protected + "." + b64url(value)))
	r, s, err := ecdsa.Sign(rand.Reader, k.private, digest[:])
	if err != nil {
		return "", err
	}
	signature := append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...)
	return protected + ".." + b64url(signature), nil
}
