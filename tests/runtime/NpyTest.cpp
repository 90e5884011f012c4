//===- NpyTest.cpp - .npy reader/writer of Kiln executables ---------------===//
//
// Files are built byte by byte here (independently of the writer) so the
// reader is checked against the format, and bad files against clear errors.
//
//===----------------------------------------------------------------------===//

#include "runtime/main/npy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace {

using ::testing::HasSubstr;
using Bytes = std::vector<unsigned char>;

// A .npy image: magic, version, header length, dict padded to 64, data.
Bytes makeNpy(const std::string &dict, const std::vector<float> &data,
              unsigned major = 1) {
  size_t prefix = major == 1 ? 10 : 12;
  std::string header = dict;
  while ((prefix + header.size() + 1) % 64 != 0)
    header += ' ';
  header += '\n';
  Bytes b = {0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<unsigned char>(major),
             0};
  size_t len = header.size();
  b.push_back(len & 0xff);
  b.push_back((len >> 8) & 0xff);
  if (major != 1) {
    b.push_back((len >> 16) & 0xff);
    b.push_back((len >> 24) & 0xff);
  }
  b.insert(b.end(), header.begin(), header.end());
  const auto *raw = reinterpret_cast<const unsigned char *>(data.data());
  b.insert(b.end(), raw, raw + data.size() * sizeof(float));
  return b;
}

const char *kDict23 =
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
const std::vector<float> kData6 = {1.5f, -2, 3, 4, 5.25f, 6};

std::string tempPath(const std::string &name) {
  return ::testing::TempDir() + "kiln_npy_test_" + name;
}

void writeFile(const std::string &path, const Bytes &bytes) {
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char *>(bytes.data()),
          static_cast<std::streamsize>(bytes.size()));
}

// Parses in memory and from a file; both must agree. Returns the error.
std::string expectRejected(const Bytes &bytes, const std::string &name) {
  char err[512] = "";
  kiln_npy_array a;
  EXPECT_NE(kiln_npy_parse(bytes.data(), bytes.size(), "mem.npy", &a, err,
                           sizeof err),
            0);
  EXPECT_EQ(a.data, nullptr);
  std::string path = tempPath(name);
  writeFile(path, bytes);
  char fileErr[512] = "";
  EXPECT_NE(kiln_npy_read(path.c_str(), &a, fileErr, sizeof fileErr), 0);
  EXPECT_EQ(a.data, nullptr);
  EXPECT_THAT(std::string(fileErr), HasSubstr(path)) << "message names file";
  return fileErr;
}

TEST(Npy, ParsesVersion1) {
  Bytes b = makeNpy(kDict23, kData6);
  kiln_npy_array a;
  char err[256];
  ASSERT_EQ(kiln_npy_parse(b.data(), b.size(), "m", &a, err, sizeof err), 0)
      << err;
  EXPECT_EQ(a.rank, 2);
  EXPECT_EQ(a.shape[0], 2);
  EXPECT_EQ(a.shape[1], 3);
  ASSERT_EQ(a.count, 6u);
  for (size_t i = 0; i < 6; ++i)
    EXPECT_EQ(a.data[i], kData6[i]);
  kiln_npy_free(&a);
}

TEST(Npy, ReadsVersion2AndDoubleQuotesFromFile) {
  Bytes b =
      makeNpy("{\"shape\": (6,), \"fortran_order\": False, \"descr\": \"<f4\"}",
              kData6, 2);
  std::string path = tempPath("v2.npy");
  writeFile(path, b);
  kiln_npy_array a;
  char err[256];
  ASSERT_EQ(kiln_npy_read(path.c_str(), &a, err, sizeof err), 0) << err;
  EXPECT_EQ(a.rank, 1);
  EXPECT_EQ(a.shape[0], 6);
  for (size_t i = 0; i < 6; ++i)
    EXPECT_EQ(a.data[i], kData6[i]);
  kiln_npy_free(&a);
}

TEST(Npy, ReadsScalarAndEmpty) {
  kiln_npy_array a;
  char err[256];
  Bytes scalar =
      makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': ()}", {7.0f});
  ASSERT_EQ(
      kiln_npy_parse(scalar.data(), scalar.size(), "s", &a, err, sizeof err), 0)
      << err;
  EXPECT_EQ(a.rank, 0);
  EXPECT_EQ(a.count, 1u);
  EXPECT_EQ(a.data[0], 7.0f);
  kiln_npy_free(&a);
  Bytes empty =
      makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3)}", {});
  ASSERT_EQ(
      kiln_npy_parse(empty.data(), empty.size(), "e", &a, err, sizeof err), 0)
      << err;
  EXPECT_EQ(a.count, 0u);
  kiln_npy_free(&a);
}

TEST(Npy, WriteThenReadRoundTrips) {
  std::string path = tempPath("roundtrip.npy");
  const int64_t shape[3] = {1, 2, 3};
  char err[256];
  ASSERT_EQ(
      kiln_npy_write(path.c_str(), kData6.data(), 3, shape, err, sizeof err), 0)
      << err;
  // The file is exactly what the format prescribes.
  std::ifstream f(path, std::ios::binary);
  std::string file((std::istreambuf_iterator<char>(f)),
                   std::istreambuf_iterator<char>());
  ASSERT_EQ(file.size(), 128u + 24u); // 10 + 62 + 1 rounds up to 128
  EXPECT_EQ(file.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  EXPECT_EQ(file.substr(10, 62),
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 3), }");
  EXPECT_EQ(file[127], '\n');

  kiln_npy_array a;
  ASSERT_EQ(kiln_npy_read(path.c_str(), &a, err, sizeof err), 0) << err;
  EXPECT_EQ(a.rank, 3);
  EXPECT_EQ(a.shape[2], 3);
  ASSERT_EQ(a.count, 6u);
  EXPECT_EQ(std::memcmp(a.data, kData6.data(), 24), 0);
  kiln_npy_free(&a);

  // Rank 1 uses Python's one-element tuple syntax.
  const int64_t one[1] = {6};
  ASSERT_EQ(
      kiln_npy_write(path.c_str(), kData6.data(), 1, one, err, sizeof err), 0);
  std::ifstream g(path, std::ios::binary);
  std::string file1((std::istreambuf_iterator<char>(g)),
                    std::istreambuf_iterator<char>());
  EXPECT_THAT(file1, HasSubstr("'shape': (6,), }"));
}

TEST(Npy, RejectsWrongDtype) {
  Bytes b = makeNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (3,)}",
                    kData6);
  EXPECT_THAT(expectRejected(b, "f8.npy"),
              HasSubstr("dtype '<f8' is not supported"));
  b = makeNpy("{'descr': '>f4', 'fortran_order': False, 'shape': (6,)}",
              kData6);
  EXPECT_THAT(expectRejected(b, "bigendian.npy"), HasSubstr("'>f4'"));
}

TEST(Npy, RejectsFortranOrder) {
  Bytes b = makeNpy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3)}",
                    kData6);
  EXPECT_THAT(expectRejected(b, "fortran.npy"), HasSubstr("Fortran-order"));
}

TEST(Npy, RejectsBadHeaders) {
  Bytes b = makeNpy(kDict23, kData6);
  b[0] = 'X';
  EXPECT_THAT(expectRejected(b, "magic.npy"), HasSubstr("not a .npy file"));
  b = makeNpy(kDict23, kData6);
  b[6] = 4;
  EXPECT_THAT(expectRejected(b, "version.npy"),
              HasSubstr("unsupported .npy format version 4.0"));
  b = makeNpy("{'descr': '<f4', 'shape': (2, 3)}", kData6);
  EXPECT_THAT(expectRejected(b, "nokey.npy"),
              HasSubstr("lacks 'fortran_order'"));
  b = makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3)}",
              kData6);
  EXPECT_THAT(expectRejected(b, "negative.npy"), HasSubstr("negative"));
  b = makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': [2, 3]}",
              kData6);
  EXPECT_THAT(expectRejected(b, "list.npy"), HasSubstr("not a tuple"));
  b = makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)} x",
              kData6);
  EXPECT_THAT(expectRejected(b, "trailing.npy"), HasSubstr("after the"));
  b = makeNpy("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, "
              "'shape': (2, 3)}",
              kData6);
  EXPECT_THAT(expectRejected(b, "dup.npy"), HasSubstr("repeated key"));
  b = makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': "
              "(99999999999999999999,)}",
              kData6);
  EXPECT_THAT(expectRejected(b, "huge.npy"), HasSubstr("too large"));
  b = makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': "
              "(4294967296, 4294967296)}",
              kData6);
  EXPECT_THAT(expectRejected(b, "overflow.npy"), HasSubstr("too large"));
  b = makeNpy(kDict23, kData6);
  b[b.size() - 25] = ' '; // the header's final '\n'
  EXPECT_THAT(expectRejected(b, "nonewline.npy"), HasSubstr("newline"));
}

TEST(Npy, RejectsTruncatedAndExcessData) {
  Bytes b = makeNpy(kDict23, kData6);
  Bytes shortData(b.begin(), b.end() - 3);
  EXPECT_THAT(expectRejected(shortData, "short.npy"),
              HasSubstr("truncated data: shape needs 24 bytes, file has 21"));
  Bytes shortHeader(b.begin(), b.begin() + 30);
  EXPECT_THAT(expectRejected(shortHeader, "shorthdr.npy"),
              HasSubstr("truncated .npy header"));
  Bytes tiny(b.begin(), b.begin() + 5);
  EXPECT_THAT(expectRejected(tiny, "tiny.npy"), HasSubstr("too short"));
  Bytes none;
  EXPECT_THAT(expectRejected(none, "empty.npy"), HasSubstr("too short"));
  Bytes extra = b;
  extra.push_back(0);
  EXPECT_THAT(expectRejected(extra, "extra.npy"), HasSubstr("excess data"));
}

TEST(Npy, ReportsMissingFile) {
  kiln_npy_array a;
  char err[256];
  EXPECT_NE(kiln_npy_read("/nonexistent/dir/x.npy", &a, err, sizeof err), 0);
  EXPECT_THAT(std::string(err), HasSubstr("/nonexistent/dir/x.npy: cannot "
                                          "open"));
  EXPECT_NE(kiln_npy_write("/nonexistent/dir/y.npy", kData6.data(), 0, nullptr,
                           err, sizeof err),
            0);
  EXPECT_THAT(std::string(err), HasSubstr("/nonexistent/dir/y.npy"));
}

} // namespace
