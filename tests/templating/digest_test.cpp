// SHA-256, HMAC-SHA256 and base64 against the published vectors: FIPS 180-4's "abc", RFC 4231 §4 (HMAC,
// cases 1-4, 6 and 7; case 5 truncates the output, which we never do) and RFC 4648 §10 (base64).
#include "templating/digest.h"

#include <gtest/gtest.h>

#include <string>

#include "text/hex.h"

namespace surge::templating {
namespace {

std::string hex(const Sha256Digest& digest) {
  std::string out;
  text::append_hex_bytes(out, digest.data(), digest.size());
  return out;
}

std::string base64(std::string_view data, Base64 alphabet = Base64::kStandard) {
  std::string out = ">";
  append_base64(out, data, alphabet);
  EXPECT_EQ(out.size() - 1, base64_size(data.size(), alphabet)) << data;
  return out.substr(1);
}

TEST(Sha256, HashesTheFipsAbcAndTheEmptyString) {
  EXPECT_EQ(hex(sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(HmacSha256, MatchesRfc4231TestCases) {
  std::string key4;
  for (char c = 1; c <= 25; ++c) key4.push_back(c);
  EXPECT_EQ(hex(hmac_sha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(hex(hmac_sha256(std::string(20, '\xaa'), std::string(50, '\xdd'))),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  EXPECT_EQ(hex(hmac_sha256(key4, std::string(50, '\xcd'))),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
}

TEST(HmacSha256, HashesAKeyLongerThanTheBlockFirst) {
  const std::string key(131, '\xaa');
  EXPECT_EQ(hex(hmac_sha256(key, "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(hex(hmac_sha256(key,
                            "This is a test using a larger than block-size key and a larger than block-size "
                            "data. The key needs to be hashed before being used by the HMAC algorithm.")),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST(Base64, MatchesRfc4648Vectors) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("foob"), "Zm9vYg==");
  EXPECT_EQ(base64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
}

TEST(Base64, UrlFormUsesDashAndUnderscoreWithoutPadding) {
  EXPECT_EQ(base64("\xfb\xff\xfe"), "+//+");
  EXPECT_EQ(base64("\xfb\xff\xfe", Base64::kUrl), "-__-");
  EXPECT_EQ(base64("f", Base64::kUrl), "Zg");
  EXPECT_EQ(base64("fo", Base64::kUrl), "Zm8");
  EXPECT_EQ(base64("foob", Base64::kUrl), "Zm9vYg");
  EXPECT_EQ(base64("foobar", Base64::kUrl), "Zm9vYmFy");
}

}  // namespace
}  // namespace surge::templating
