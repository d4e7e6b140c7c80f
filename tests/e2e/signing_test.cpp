// Template signing built-ins on the wire: surge sends a JWT, an HMAC header and the time to `surge serve`'s
// /echo, the failed-request log shows the request as sent, and python3's own hmac and base64 modules verify
// the signatures and that now_s, now_iso and the body agree within the request.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "support.h"

namespace surge::e2e {
namespace {

// Reads the first logged request; prints "ok" or what does not hold.
constexpr const char* kVerifier = R"(import base64, datetime, hashlib, hmac, json, sys
log = open(sys.argv[1]).read()
key = sys.argv[2].encode()
headers = {}
for line in log.split("\n"):
    if line.startswith("> ") and ": " in line:
        name, value = line[2:].split(": ", 1)
        headers.setdefault(name, value)
body = next(line[2:] for line in log.split("\n") if line.startswith("< vu="))
def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
head, payload, signature = headers["X-Jwt"].split(".")
expected = b64url(hmac.new(key, (head + "." + payload).encode(), hashlib.sha256).digest())
claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
header = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
now_s = int(headers["X-Now"])
message = "POST /echo %d %s" % (now_s, body)
problems = []
if signature != expected: problems.append("jwt signature %s, expected %s" % (signature, expected))
if header != {"alg": "HS256", "typ": "JWT"}: problems.append("jwt header %r" % header)
if claims["iat"] != now_s: problems.append("iat %r, X-Now %d" % (claims["iat"], now_s))
if headers["X-Sig"] != hmac.new(key, message.encode(), hashlib.sha256).hexdigest():
    problems.append("X-Sig %s over %r" % (headers["X-Sig"], message))
iso = datetime.datetime.fromtimestamp(now_s, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
if headers["X-Now-Iso"] != iso: problems.append("X-Now-Iso %s, expected %s" % (headers["X-Now-Iso"], iso))
if body != "vu=%s&t=%d" % (claims["sub"], now_s): problems.append("body %r, claims %r" % (body, claims))
print("ok" if not problems else "; ".join(problems))
)";

TEST(Signing, AJwtAndAnHmacHeaderVerifyWithPythonsOwnHmac) {
  ASSERT_EQ(setenv("SURGE_E2E_SIGNING_KEY", "k3y-for-e2e", 1), 0);
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  const std::string dir = temp_dir() + "/signing";
  std::filesystem::create_directories(dir);
  // expect: 418 fails every request, so the failed-request log keeps the first one with its echoed body.
  const std::string plan = write_temp_file("signing.yaml", "target: http://" + address + R"(
phases: [{ name: load, duration: 1s, users: 1 }]
scenarios:
  - name: s
    steps:
      - http:
          method: POST
          url: /echo
          headers:
            X-Jwt: "{{ jwt_hs256(concat('{\"sub\":\"', vu.id, '\",\"iat\":', now_s, '}'), env.SURGE_E2E_SIGNING_KEY) }}"
            X-Sig: "{{ hmac_sha256(env.SURGE_E2E_SIGNING_KEY, concat('POST /echo ', now_s, ' vu=', vu.id, '&t=', now_s)) }}"
            X-Now: "{{ now_s }}"
            X-Now-Iso: "{{ now_iso }}"
          body: "vu={{ vu.id }}&t={{ now_s }}"
          expect: { status: 418 }
)");
  Process run({surge_binary(), "run", plan, "--workers", "1", "--log-requests", "1", "--log-requests-file",
               dir + "/failed.log", "--out", "json=" + dir + "/r.json", "--quiet"});
  run.wait(30);
  const std::string log_path = dir + "/failed.log";
  ASSERT_TRUE(std::filesystem::exists(log_path)) << run.stderr_text();
  const std::string script = write_temp_file("verify_signing.py", kVerifier);
  Process verify({"python3", script, log_path, "k3y-for-e2e"});
  EXPECT_EQ(verify.wait(30), 0) << verify.stderr_text();
  EXPECT_EQ(verify.stdout_text(), "ok\n") << read_file(log_path);
}

}  // namespace
}  // namespace surge::e2e
