// `tls:`: each key read into TlsOptions, the CA file found next to the plan, and each bad value reported at its
// line:column with the exact message.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "plan_test_util.h"

namespace surge::plan {
namespace {

constexpr std::string_view kRest = R"(phases: [{ name: p, duration: 1s, users: 1 }]
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)";

std::string plan_text(const std::string& tls) {
  return "target: https://localhost:8443\ntls: " + tls + "\n" + std::string(kRest);
}

// A plan file and a CA file beside it in a fresh folder; returns the plan's path.
std::string plan_beside(const std::string& ca_name, const std::string& ca_text, const std::string& tls) {
  std::string dir = testing::TempDir() + "tls_reader_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed());
  std::string mkdir = "mkdir -p " + dir;
  EXPECT_EQ(std::system(mkdir.c_str()), 0);
  std::ofstream(dir + "/" + ca_name) << ca_text;
  std::string plan = dir + "/plan.yaml";
  std::ofstream(plan) << plan_text(tls);
  return plan;
}

TEST(TlsReader, VerifiesByDefaultWithoutATlsBlock) {
  auto plan = load_plan_string("target: https://localhost:8443\n" + std::string(kRest), "p.yaml");
  ASSERT_TRUE(plan.has_value());
  EXPECT_FALSE(plan->tls.insecure);
  EXPECT_EQ(plan->tls.server_name, "");
  EXPECT_EQ(plan->tls.ca_path, "");
  EXPECT_EQ(plan->tls.min_version, TlsOptions::MinVersion::kDefault);
}

TEST(TlsReader, ReadsInsecureServerNameAndMinVersion) {
  auto plan = load_plan_string(plan_text("{ insecure: true, server_name: api.internal, min_version: \"1.3\" }"),
                               "p.yaml");
  ASSERT_TRUE(plan.has_value()) << plan.error().front().to_string();
  EXPECT_TRUE(plan->tls.insecure);
  EXPECT_EQ(plan->tls.server_name, "api.internal");
  EXPECT_EQ(plan->tls.min_version, TlsOptions::MinVersion::k13);
}

TEST(TlsReader, FindsTheCaFileNextToThePlan) {
  std::string plan_path = plan_beside("ca.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
                                      "{ ca_file: ca.pem }");
  auto plan = load_plan_file(plan_path);
  ASSERT_TRUE(plan.has_value()) << plan.error().front().to_string();
  EXPECT_EQ(plan->tls.ca_file, "ca.pem");
  EXPECT_EQ(plan->tls.ca_path, plan_path.substr(0, plan_path.rfind('/') + 1) + "ca.pem");
}

TEST(TlsReader, RejectsACaFileWithoutAPemCertificate) {
  std::string plan_path = plan_beside("key.pem", "-----BEGIN PRIVATE KEY-----\n", "{ ca_file: key.pem }");
  auto plan = load_plan_file(plan_path);
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().front().to_string(),
            plan_path + ":2:17: ca_file 'key.pem': expected PEM certificates (-----BEGIN CERTIFICATE-----)");
}

TEST(TlsReader, ReportsEachBadValueAtItsPosition) {
  EXPECT_EQ(diagnostics_of(plan_text("{ insecure: yes please, min_version: 1.1, server_name: \"a b\" }")),
            (Lines{"p.yaml:2:18: insecure: expected true or false, found 'yes please'",
                   "p.yaml:2:61: server_name: expected a host name like api.example.com, found 'a b'",
                   "p.yaml:2:43: min_version: expected \"1.2\" or \"1.3\", found '1.1'"}));
}

TEST(TlsReader, RejectsUnknownKeys) {
  EXPECT_EQ(diagnostics_of(plan_text("{ verify: false }")),
            (Lines{"p.yaml:2:8: unknown key 'verify' in tls; expected one of: insecure, server_name, ca_file, "
                   "min_version"}));
}

}  // namespace
}  // namespace surge::plan
