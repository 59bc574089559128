#!/usr/bin/env bash
# Makes the throwaway test PKI in the current directory with the openssl CLI (Swift tests and the interop
# suite both use it): a root and intermediate CA, leaves signed by them, self-signed certificates of every key
# type Gatehouse knows (RSA 1024-4096, P-256/384/521, SM2), SM dual certificates, each key in PKCS#1/PKCS#8/SEC1,
# both encrypted key formats, a DH PARAMETERS block, and client certificates for mTLS.
set -euo pipefail

cat > ext.cnf <<'CNF'
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[v3_int]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
[v3_leaf]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:a.test, DNS:www.a.test, IP:127.0.0.1
[v3_leaf_b]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:b.test, DNS:*.b.test
[v3_client]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
[v3_sm_sign]
keyUsage = critical, digitalSignature, nonRepudiation
subjectAltName = DNS:sm.test
[v3_sm_enc]
keyUsage = critical, keyEncipherment, dataEncipherment, keyAgreement
subjectAltName = DNS:sm.test
CNF
q() { "$@" >/dev/null 2>&1; }
# Root (P-256) -> intermediate (RSA 2048) -> leaves a.test (RSA 2048) and b.test (P-256)
q openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout root.key -out root.crt -days 3650 \
  -subj "/CN=Gatehouse Test Root CA/O=Gatehouse Tests" -extensions v3_ca -config <(cat /etc/ssl/openssl.cnf ext.cnf)
q openssl req -newkey rsa:2048 -nodes -keyout int.key -out int.csr -subj "/CN=Gatehouse Test Intermediate CA/O=Gatehouse Tests"
q openssl x509 -req -in int.csr -CA root.crt -CAkey root.key -CAcreateserial -out int.crt -days 1825 -extfile ext.cnf -extensions v3_int
q openssl req -newkey rsa:2048 -nodes -keyout a.key -out a.csr -subj "/CN=a.test/O=Gatehouse A"
q openssl x509 -req -in a.csr -CA int.crt -CAkey int.key -CAcreateserial -out a.crt -days 90 -extfile ext.cnf -extensions v3_leaf
q openssl ecparam -name prime256v1 -genkey -noout -out b.key
q openssl req -new -key b.key -out b.csr -subj "/CN=b.test/O=Gatehouse B"
q openssl x509 -req -in b.csr -CA int.crt -CAkey int.key -CAcreateserial -out b.crt -days 90 -extfile ext.cnf -extensions v3_leaf_b
# A 4096-bit chain: RSA-4096 leaf from an RSA-4096 intermediate (the largest upload the CLB docs allow)
q openssl req -newkey rsa:4096 -nodes -keyout int4096.key -out int4096.csr -subj "/CN=Gatehouse Test 4096 CA/O=Gatehouse Tests"
q openssl x509 -req -in int4096.csr -CA root.crt -CAkey root.key -CAcreateserial -out int4096.crt -days 1825 -extfile ext.cnf -extensions v3_int
q openssl req -newkey rsa:4096 -nodes -keyout big.key -out big.csr -subj "/CN=big.test/O=Gatehouse Big"
q openssl x509 -req -in big.csr -CA int4096.crt -CAkey int4096.key -CAcreateserial -out big.crt -days 90 -extfile ext.cnf -extensions v3_leaf
q openssl rsa -in big.key -traditional -out big.pkcs1.key
cat big.crt int4096.crt > big.chain.pem
cat a.crt int.crt > a.chain.pem
cat b.crt int.crt > b.chain.pem
cat int.crt a.crt > a.misordered.pem
# Client certificates: one from the root, one from an unrelated CA
q openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout client.key -out client.csr -subj "/CN=client-1/O=Gatehouse Clients"
q openssl x509 -req -in client.csr -CA root.crt -CAkey root.key -CAcreateserial -out client.crt -days 90 -extfile ext.cnf -extensions v3_client
q openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout other-ca.key -out other-ca.crt -days 365 \
  -subj "/CN=Other CA" -extensions v3_ca -config <(cat /etc/ssl/openssl.cnf ext.cnf)
q openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout rogue.key -out rogue.csr -subj "/CN=rogue"
q openssl x509 -req -in rogue.csr -CA other-ca.crt -CAkey other-ca.key -CAcreateserial -out rogue.crt -days 90 -extfile ext.cnf -extensions v3_client
# Self-signed certificates of every key type
for bits in 1024 2048 3072 4096; do
  q openssl req -x509 -newkey rsa:$bits -nodes -keyout rsa$bits.key -out rsa$bits.crt -days 30 \
    -subj "/CN=rsa$bits.test" -addext "subjectAltName=DNS:rsa$bits.test,DNS:*.rsa$bits.test"
done
for curve in P-256 P-384 P-521; do
  name=$(echo $curve | tr -d '-' | tr 'P' 'p')
  q openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:$curve -nodes -keyout $name.key -out $name.crt -days 30 \
    -subj "/CN=$name.test" -addext "subjectAltName=DNS:$name.test"
done
q openssl genpkey -algorithm SM2 -out sm2.key
q openssl req -x509 -new -key sm2.key -out sm2.crt -days 30 -subj "/CN=sm2.test" -sm3 -sigopt "distid:1234567812345678"
# SM dual certificates (signing + encryption) from an SM2 CA
q openssl genpkey -algorithm SM2 -out smca.key
q openssl req -x509 -new -key smca.key -out smca.crt -days 365 -subj "/CN=SM Test CA" -sm3 -sigopt "distid:1234567812345678" \
  -extensions v3_int -config <(cat /etc/ssl/openssl.cnf ext.cnf)
for use in sign enc; do
  q openssl genpkey -algorithm SM2 -out sm-$use.key
  q openssl req -new -key sm-$use.key -out sm-$use.csr -subj "/CN=sm.test" -sm3 -sigopt "distid:1234567812345678"
  q openssl x509 -req -in sm-$use.csr -CA smca.crt -CAkey smca.key -CAcreateserial -out sm-$use.crt -days 90 -sm3 \
    -vfyopt "distid:1234567812345678" -sigopt "distid:1234567812345678" -extfile ext.cnf -extensions v3_sm_$use
done
# Other encodings of the same keys
q openssl rsa -in rsa2048.key -traditional -out rsa2048.pkcs1.key
q openssl ec -in p256.key -out p256.sec1.key
q openssl pkcs8 -topk8 -in rsa2048.key -v2 aes-256-cbc -passout pass:secret -out rsa2048.enc.pk8.key
q openssl rsa -in rsa2048.key -traditional -aes256 -passout pass:secret -out rsa2048.enc.trad.key
q openssl dhparam -dsaparam -out dh.pem 1024
cat rsa2048.crt dh.pem > rsa2048.with-dh.pem
# SNI certificates for the ELB listener tests, from the intermediate: wildcards at two depths, an exact name, one
# domain with both an RSA and a P-256 certificate, and one certificate with 210 names (SNI domain limits).
# Each leaf has its own O= so a test can tell which one a handshake got.
elb_leaf() {  # name rsa|ec subject subjectAltName
  local name=$1 kind=$2 subject=$3 san=$4 usage="digitalSignature, keyEncipherment"
  if [ "$kind" = ec ]; then
    q openssl ecparam -name prime256v1 -genkey -noout -out "$name.key"
    usage="digitalSignature"
  else
    q openssl genrsa -out "$name.key" 2048
  fi
  q openssl req -new -key "$name.key" -out "$name.csr" -subj "$subject"
  printf 'basicConstraints = CA:FALSE\nkeyUsage = critical, %s\nextendedKeyUsage = serverAuth\nsubjectAltName = %s\n' \
    "$usage" "$san" > "$name.ext"
  q openssl x509 -req -in "$name.csr" -CA int.crt -CAkey int.key -CAcreateserial -out "$name.crt" -days 90 \
    -extfile "$name.ext"
  cat "$name.crt" int.crt > "$name.chain.pem"
}
elb_leaf sni-wild rsa "/CN=*.sni.test/O=Gatehouse SNI Wild" "DNS:*.sni.test"
elb_leaf sni-deep rsa "/CN=*.deep.sni.test/O=Gatehouse SNI Deep" "DNS:*.deep.sni.test"
elb_leaf sni-exact rsa "/CN=exact.sni.test/O=Gatehouse SNI Exact" "DNS:exact.sni.test"
elb_leaf dual-rsa rsa "/CN=dual.sni.test/O=Gatehouse Dual RSA" "DNS:dual.sni.test"
elb_leaf dual-ecc ec "/CN=dual.sni.test/O=Gatehouse Dual ECC" "DNS:dual.sni.test"
elb_leaf sni-many rsa "/CN=d1.many.sni.test/O=Gatehouse SNI Many" \
  "$(seq 1 210 | sed 's/.*/DNS:d&.many.sni.test/' | paste -sd, -)"
