// `surge serve --tls-cert/--tls-key`: TLS with ALPN choosing h2 or http/1.1, checked with curl, nghttp and
// h2load over https to loopback, against a self-signed certificate the test makes with the openssl CLI.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "reference_clients.h"
#include "serve_support.h"

namespace surge::serve::testing {
namespace {

// cert.pem (CN localhost) and key.pem, and other-key.pem that does not match, made once per test binary.
const std::string& cert_dir() {
  static const std::string dir = [] {
    std::string made = test_support::test_temp_dir() + "/serve-tls";
    std::string command = "mkdir -p " + made + " && cd " + made +
                          " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
                          " -subj /CN=localhost -keyout key.pem -out cert.pem -days 2 2>/dev/null"
                          " && openssl genpkey -algorithm ec -pkeyopt ec_paramgen_curve:prime256v1"
                          " -out other-key.pem 2>/dev/null";
    if (std::system(command.c_str()) != 0) throw std::runtime_error("openssl could not make a certificate");
    return made;
  }();
  return dir;
}

ServeOptions tls_options() {
  ServeOptions options = options_on_free_port();
  options.tls_cert = cert_dir() + "/cert.pem";
  options.tls_key = cert_dir() + "/key.pem";
  return options;
}

std::string https(uint16_t port, const std::string& path) {
  return "https://127.0.0.1:" + std::to_string(port) + path;
}

// curl -k: the HTTP version it spoke, a newline, then the body.
std::string curl(uint16_t port, const std::string& path, const std::string& version_flag) {
  Ran ran = run({"curl", "-sSk", version_flag, "-w", "\n%{http_version}", https(port, path)});
  EXPECT_EQ(ran.exit_code, 0) << ran.err;
  size_t end = ran.out.rfind('\n');
  return ran.out.substr(end + 1) + "\n" + ran.out.substr(0, end);
}

TEST(ServeTls, SpeaksH2WhenAlpnOffersItAndHttp11WhenNot) {
  ServerProcess server(tls_options());
  EXPECT_EQ(curl(server.port(), "/json", "--http2"),
            "2\n"
            R"({"ok":true,"service":"surge","items":[1,2,3]})");
  EXPECT_EQ(curl(server.port(), "/json", "--http1.1"),
            "1.1\n"
            R"({"ok":true,"service":"surge","items":[1,2,3]})");
  Ran nghttp = run({"nghttp", "-v", https(server.port(), "/")});
  ASSERT_EQ(nghttp.exit_code, 0) << nghttp.err;
  EXPECT_NE(nghttp.out.find("The negotiated protocol: h2\n"), std::string::npos) << nghttp.out;
}

TEST(ServeTls, SendsTheSameLargeBodyOverBothProtocols) {
  ServerProcess server(tls_options());
  std::string h2 = curl(server.port(), "/bytes/2000000", "--http2");
  std::string h1 = curl(server.port(), "/bytes/2000000", "--http1.1");
  ASSERT_EQ(h2.substr(0, 2), "2\n");
  ASSERT_EQ(h1.substr(0, 4), "1.1\n");
  EXPECT_EQ(h2.size(), 2 + 2000000u);
  EXPECT_EQ(h2.substr(2), h1.substr(4));
}

TEST(ServeTls, CountsH2loadRequestsByTheProtocolAlpnChose) {
  ServerProcess server(tls_options());
  Ran h2 = run({"h2load", "-n", "1000", "-c", "4", "-m", "10", https(server.port(), "/json")});
  ASSERT_EQ(h2.exit_code, 0) << h2.err;
  EXPECT_NE(h2.out.find("Application protocol: h2\n"), std::string::npos) << h2.out;
  EXPECT_NE(h2.out.find("requests: 1000 total, 1000 started, 1000 done, 1000 succeeded"), std::string::npos);
  Ran h1 = run({"h2load", "--h1", "-n", "500", "-c", "2", https(server.port(), "/json")});
  ASSERT_EQ(h1.exit_code, 0) << h1.err;
  EXPECT_NE(h1.out.find("Application protocol: http/1.1\n"), std::string::npos) << h1.out;
  Ran stats = run({"curl", "-sSk", https(server.port(), "/__surge/stats")});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  nlohmann::json doc = nlohmann::json::parse(stats.out);
  EXPECT_EQ(doc["by_protocol"], nlohmann::json({{"h2", 1000}, {"http/1.1", 500}}));
  EXPECT_EQ(doc["h2"]["connections"], 4 + 1);  // and the stats request's own
}

TEST(ServeTls, RefusesACertificateWithoutItsKey) {
  ServeOptions options = options_on_free_port();
  options.tls_cert = cert_dir() + "/cert.pem";
  auto served = run_server(options);
  ASSERT_FALSE(served);
  EXPECT_EQ(served.error().message, "a TLS certificate needs its key (--tls-key)");
}

TEST(ServeTls, RefusesAKeyThatDoesNotMatchTheCertificate) {
  ServeOptions options = tls_options();
  options.tls_key = cert_dir() + "/other-key.pem";
  auto served = run_server(options);
  ASSERT_FALSE(served);
  EXPECT_EQ(served.error().message, "cannot load the TLS key '" + options.tls_key +
                                        "': error:05800074:x509 certificate routines::key values mismatch");
}

TEST(ServeTls, NamesACertificateFileItCannotRead) {
  ServeOptions options = tls_options();
  options.tls_cert = cert_dir() + "/missing.pem";
  auto served = run_server(options);
  ASSERT_FALSE(served);
  EXPECT_TRUE(
      served.error().message.starts_with("cannot load the TLS certificate '" + options.tls_cert + "': "))
      << served.error().message;
}

}  // namespace
}  // namespace surge::serve::testing
