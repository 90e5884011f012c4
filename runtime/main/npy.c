/*===- npy.c - NumPy .npy reader/writer for Kiln executables ----*- C -*-===*
 *
 * Format:
 *https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 * "\x93NUMPY", major, minor, header length (uint16 LE for 1.x, uint32 LE for
 * 2.x/3.x), then an ASCII Python dict literal padded with spaces and ended
 * by '\n', then the raw data.
 *
 *===----------------------------------------------------------------------===*/

#include "npy.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char kiln_npy_magic[6] = {'\x93', 'N', 'U', 'M', 'P', 'Y'};
/* Headers larger than this are not something numpy writes for a tensor. */
#define KILN_NPY_MAX_HEADER (1u << 20)

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
kiln_npy_fail(char *err, size_t err_size, const char *fmt, ...) {
  if (err && err_size) {
    va_list args;
    va_start(args, fmt);
    vsnprintf(err, err_size, fmt, args);
    va_end(args);
  }
  return 1;
}

static int kiln_npy_host_is_little_endian(void) {
  const uint16_t probe = 1;
  unsigned char first;
  memcpy(&first, &probe, 1);
  return first == 1;
}

static void kiln_npy_swap32(void *data, size_t count) {
  unsigned char *p = (unsigned char *)data;
  for (size_t i = 0; i < count; ++i, p += 4) {
    unsigned char t0 = p[0], t1 = p[1];
    p[0] = p[3];
    p[1] = p[2];
    p[2] = t1;
    p[3] = t0;
  }
}

/* --- header dict parser --------------------------------------------------- */

typedef struct kiln_npy_cursor {
  const char *p;
  const char *end;
} kiln_npy_cursor;

static void kiln_npy_skip_ws(kiln_npy_cursor *c) {
  while (c->p < c->end &&
         (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
    ++c->p;
}

static int kiln_npy_accept(kiln_npy_cursor *c, char ch) {
  kiln_npy_skip_ws(c);
  if (c->p < c->end && *c->p == ch) {
    ++c->p;
    return 1;
  }
  return 0;
}

/* Parses a quoted Python string into dst (NUL-terminated). */
static int kiln_npy_string(kiln_npy_cursor *c, char *dst, size_t cap) {
  kiln_npy_skip_ws(c);
  if (c->p >= c->end || (*c->p != '\'' && *c->p != '"'))
    return 1;
  char quote = *c->p++;
  size_t n = 0;
  while (c->p < c->end && *c->p != quote) {
    if (*c->p == '\\' || n + 1 >= cap)
      return 1;
    dst[n++] = *c->p++;
  }
  if (c->p >= c->end)
    return 1;
  ++c->p;
  dst[n] = '\0';
  return 0;
}

static int kiln_npy_keyword(kiln_npy_cursor *c, const char *word) {
  kiln_npy_skip_ws(c);
  size_t len = strlen(word);
  if ((size_t)(c->end - c->p) < len || memcmp(c->p, word, len) != 0)
    return 0;
  c->p += len;
  return 1;
}

/* Parses "(d0, d1, ...)" with an optional trailing comma. */
static int kiln_npy_shape(kiln_npy_cursor *c, kiln_npy_header *h,
                          const char *what, char *err, size_t err_size) {
  if (!kiln_npy_accept(c, '('))
    return kiln_npy_fail(err, err_size, "%s: .npy 'shape' is not a tuple",
                         what);
  h->rank = 0;
  for (;;) {
    if (kiln_npy_accept(c, ')'))
      return 0;
    kiln_npy_skip_ws(c);
    if (c->p >= c->end || *c->p < '0' || *c->p > '9')
      return kiln_npy_fail(err, err_size,
                           "%s: .npy 'shape' has a non-integer or negative "
                           "dimension",
                           what);
    if (h->rank >= KILN_NPY_MAX_RANK)
      return kiln_npy_fail(err, err_size,
                           "%s: .npy 'shape' has more than %d dimensions", what,
                           KILN_NPY_MAX_RANK);
    int64_t v = 0;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
      if (v > (INT64_MAX - 9) / 10)
        return kiln_npy_fail(err, err_size,
                             "%s: .npy 'shape' dimension is too large", what);
      v = v * 10 + (*c->p++ - '0');
    }
    if (c->p < c->end && *c->p == 'L') /* Python 2 long suffix */
      ++c->p;
    h->shape[h->rank++] = v;
    if (kiln_npy_accept(c, ','))
      continue;
    if (kiln_npy_accept(c, ')'))
      return 0;
    return kiln_npy_fail(err, err_size, "%s: .npy 'shape' tuple is malformed",
                         what);
  }
}

static int kiln_npy_parse_dict(const char *text, size_t len, const char *what,
                               kiln_npy_header *h, char *err, size_t err_size) {
  kiln_npy_cursor c = {text, text + len};
  int have_descr = 0, have_order = 0, have_shape = 0;
  if (!kiln_npy_accept(&c, '{'))
    return kiln_npy_fail(err, err_size, "%s: .npy header is not a dict literal",
                         what);
  for (;;) {
    if (kiln_npy_accept(&c, '}'))
      break;
    char key[32];
    if (kiln_npy_string(&c, key, sizeof key) || !kiln_npy_accept(&c, ':'))
      return kiln_npy_fail(err, err_size, "%s: .npy header dict is malformed",
                           what);
    if (strcmp(key, "descr") == 0 && !have_descr) {
      char descr[32];
      if (kiln_npy_string(&c, descr, sizeof descr))
        return kiln_npy_fail(err, err_size,
                             "%s: .npy 'descr' is not a simple type string",
                             what);
      if (strcmp(descr, "<f4") != 0)
        return kiln_npy_fail(err, err_size,
                             "%s: dtype '%s' is not supported (need float32 "
                             "'<f4'; convert with arr.astype(np.float32))",
                             what, descr);
      have_descr = 1;
    } else if (strcmp(key, "fortran_order") == 0 && !have_order) {
      if (kiln_npy_keyword(&c, "True"))
        return kiln_npy_fail(err, err_size,
                             "%s: Fortran-order arrays are not supported "
                             "(save with np.ascontiguousarray)",
                             what);
      if (!kiln_npy_keyword(&c, "False"))
        return kiln_npy_fail(
            err, err_size, "%s: .npy 'fortran_order' is not True/False", what);
      have_order = 1;
    } else if (strcmp(key, "shape") == 0 && !have_shape) {
      if (kiln_npy_shape(&c, h, what, err, err_size))
        return 1;
      have_shape = 1;
    } else {
      return kiln_npy_fail(err, err_size,
                           "%s: unexpected or repeated key '%s' in .npy header",
                           what, key);
    }
    if (kiln_npy_accept(&c, ','))
      continue;
    if (kiln_npy_accept(&c, '}'))
      break;
    return kiln_npy_fail(err, err_size, "%s: .npy header dict is malformed",
                         what);
  }
  kiln_npy_skip_ws(&c);
  if (c.p != c.end)
    return kiln_npy_fail(
        err, err_size, "%s: unexpected text after the .npy header dict", what);
  if (!have_descr || !have_order || !have_shape)
    return kiln_npy_fail(err, err_size, "%s: .npy header lacks '%s'", what,
                         !have_descr   ? "descr"
                         : !have_order ? "fortran_order"
                                       : "shape");
  size_t count = 1;
  for (int32_t d = 0; d < h->rank; ++d) {
    uint64_t dim = (uint64_t)h->shape[d];
    if (dim != 0 && count > SIZE_MAX / 4 / dim)
      return kiln_npy_fail(err, err_size, "%s: .npy shape is too large", what);
    count *= (size_t)dim;
  }
  h->count = count;
  return 0;
}

/* --- public API ------------------------------------------------------------
 */

/* Reads the fixed preamble; sets *header_len and *prefix_len. */
static int kiln_npy_preamble(const unsigned char *b, size_t size,
                             const char *what, size_t *prefix_len,
                             size_t *header_len, char *err, size_t err_size) {
  if (size < 10 || memcmp(b, kiln_npy_magic, 6) != 0)
    return kiln_npy_fail(err, err_size,
                         "%s: not a .npy file (bad magic or too short)", what);
  unsigned major = b[6];
  if (major == 1) {
    *prefix_len = 10;
    *header_len = (size_t)b[8] | (size_t)b[9] << 8;
  } else if (major == 2 || major == 3) {
    if (size < 12)
      return kiln_npy_fail(err, err_size, "%s: truncated .npy header", what);
    *prefix_len = 12;
    *header_len = (size_t)b[8] | (size_t)b[9] << 8 | (size_t)b[10] << 16 |
                  (size_t)b[11] << 24;
  } else {
    return kiln_npy_fail(err, err_size,
                         "%s: unsupported .npy format version %u.%u", what,
                         major, (unsigned)b[7]);
  }
  if (*header_len > KILN_NPY_MAX_HEADER)
    return kiln_npy_fail(err, err_size,
                         "%s: .npy header length %zu is implausibly large",
                         what, *header_len);
  return 0;
}

int kiln_npy_parse_header(const void *bytes, size_t size, const char *what,
                          kiln_npy_header *out, char *err, size_t err_size) {
  const unsigned char *b = (const unsigned char *)bytes;
  size_t prefix_len = 0, header_len = 0;
  memset(out, 0, sizeof *out);
  if (!b)
    return kiln_npy_fail(err, err_size, "%s: no data", what);
  if (kiln_npy_preamble(b, size, what, &prefix_len, &header_len, err, err_size))
    return 1;
  if (size - prefix_len < header_len)
    return kiln_npy_fail(err, err_size,
                         "%s: truncated .npy header (%zu of %zu bytes)", what,
                         size - prefix_len, header_len);
  const char *text = (const char *)b + prefix_len;
  if (header_len == 0 || text[header_len - 1] != '\n')
    return kiln_npy_fail(err, err_size,
                         "%s: .npy header does not end with a newline", what);
  for (size_t i = 0; i < header_len; ++i)
    if (text[i] == '\0')
      return kiln_npy_fail(err, err_size, "%s: .npy header contains NUL", what);
  if (kiln_npy_parse_dict(text, header_len, what, out, err, err_size))
    return 1;
  out->data_offset = prefix_len + header_len;
  return 0;
}

int kiln_npy_parse(const void *bytes, size_t size, const char *what,
                   kiln_npy_array *out, char *err, size_t err_size) {
  kiln_npy_header h;
  memset(out, 0, sizeof *out);
  if (kiln_npy_parse_header(bytes, size, what, &h, err, err_size))
    return 1;
  size_t want = h.count * sizeof(float);
  size_t have = size - h.data_offset;
  if (have != want)
    return kiln_npy_fail(
        err, err_size, "%s: %s data: shape needs %zu bytes, file has %zu", what,
        have < want ? "truncated" : "excess", want, have);
  float *data = (float *)malloc(want ? want : sizeof(float));
  if (!data)
    return kiln_npy_fail(err, err_size, "%s: out of memory (%zu bytes)", what,
                         want);
  memcpy(data, (const unsigned char *)bytes + h.data_offset, want);
  if (!kiln_npy_host_is_little_endian())
    kiln_npy_swap32(data, h.count);
  out->rank = h.rank;
  memcpy(out->shape, h.shape, sizeof out->shape);
  out->count = h.count;
  out->data = data;
  return 0;
}

int kiln_npy_read(const char *path, kiln_npy_array *out, char *err,
                  size_t err_size) {
  memset(out, 0, sizeof *out);
  if (!path)
    return kiln_npy_fail(err, err_size, "(null path): no file given");
  FILE *f = fopen(path, "rb");
  if (!f)
    return kiln_npy_fail(err, err_size, "%s: cannot open: %s", path,
                         strerror(errno));
  unsigned char pre[12];
  size_t got = fread(pre, 1, sizeof pre, f);
  size_t prefix_len = 0, header_len = 0;
  if (kiln_npy_preamble(pre, got, path, &prefix_len, &header_len, err,
                        err_size)) {
    fclose(f);
    return 1;
  }
  size_t head_size = prefix_len + header_len;
  unsigned char *head = (unsigned char *)malloc(head_size);
  if (!head) {
    fclose(f);
    return kiln_npy_fail(err, err_size, "%s: out of memory", path);
  }
  /* The first 12 bytes may already include part of a 1.0 header. */
  size_t have = got < head_size ? got : head_size;
  memcpy(head, pre, have);
  if (fseek(f, (long)have, SEEK_SET) != 0) {
    free(head);
    fclose(f);
    return kiln_npy_fail(err, err_size, "%s: cannot seek", path);
  }
  have += fread(head + have, 1, head_size - have, f);
  kiln_npy_header h;
  int bad = kiln_npy_parse_header(head, have, path, &h, err, err_size);
  free(head);
  if (bad) {
    fclose(f);
    return 1;
  }
  size_t want = h.count * sizeof(float);
  float *data = (float *)malloc(want ? want : sizeof(float));
  if (!data) {
    fclose(f);
    return kiln_npy_fail(err, err_size, "%s: out of memory (%zu bytes)", path,
                         want);
  }
  size_t read = fread(data, 1, want, f);
  int extra = fgetc(f) != EOF;
  int io_error = ferror(f);
  fclose(f);
  if (io_error || read != want || extra) {
    free(data);
    if (io_error)
      return kiln_npy_fail(err, err_size, "%s: read error", path);
    if (read != want)
      return kiln_npy_fail(err, err_size,
                           "%s: truncated data: shape needs %zu bytes, file "
                           "has %zu",
                           path, want, read);
    return kiln_npy_fail(err, err_size,
                         "%s: excess data after the %zu bytes the shape needs",
                         path, want);
  }
  if (!kiln_npy_host_is_little_endian())
    kiln_npy_swap32(data, h.count);
  out->rank = h.rank;
  memcpy(out->shape, h.shape, sizeof out->shape);
  out->count = h.count;
  out->data = data;
  return 0;
}

int kiln_npy_write(const char *path, const float *data, int32_t rank,
                   const int64_t *shape, char *err, size_t err_size) {
  if (!path)
    return kiln_npy_fail(err, err_size, "(null path): no file given");
  if (rank < 0 || rank > KILN_NPY_MAX_RANK || (rank > 0 && !shape))
    return kiln_npy_fail(err, err_size, "%s: invalid rank %d", path, (int)rank);
  char dict[64 + KILN_NPY_MAX_RANK * 24];
  int n = snprintf(dict, sizeof dict,
                   "{'descr': '<f4', 'fortran_order': False, 'shape': (");
  size_t count = 1;
  for (int32_t d = 0; d < rank; ++d) {
    if (shape[d] < 0)
      return kiln_npy_fail(err, err_size, "%s: negative dimension %lld", path,
                           (long long)shape[d]);
    count *= (size_t)shape[d];
    n += snprintf(dict + n, sizeof dict - (size_t)n,
                  rank == 1 ? "%lld," : (d ? ", %lld" : "%lld"),
                  (long long)shape[d]);
  }
  n += snprintf(dict + n, sizeof dict - (size_t)n, "), }");
  if (count && !data)
    return kiln_npy_fail(err, err_size, "%s: no data to write", path);
  /* Version 1.0: 10-byte preamble; pad so the data starts 64-aligned. */
  size_t total = 10 + (size_t)n + 1;
  size_t padded = (total + 63) / 64 * 64;
  size_t header_len = padded - 10;
  unsigned char pre[10];
  memcpy(pre, kiln_npy_magic, 6);
  pre[6] = 1;
  pre[7] = 0;
  pre[8] = (unsigned char)(header_len & 0xff);
  pre[9] = (unsigned char)(header_len >> 8);

  FILE *f = fopen(path, "wb");
  if (!f)
    return kiln_npy_fail(err, err_size, "%s: cannot create: %s", path,
                         strerror(errno));
  int ok = fwrite(pre, 1, sizeof pre, f) == sizeof pre &&
           fwrite(dict, 1, (size_t)n, f) == (size_t)n;
  for (size_t i = (size_t)n; ok && i + 1 < header_len; ++i)
    ok = fputc(' ', f) != EOF;
  ok = ok && fputc('\n', f) != EOF;
  if (ok && kiln_npy_host_is_little_endian()) {
    ok = fwrite(data, sizeof(float), count, f) == count;
  } else {
    for (size_t i = 0; ok && i < count; ++i) {
      float v = data[i];
      kiln_npy_swap32(&v, 1);
      ok = fwrite(&v, sizeof v, 1, f) == 1;
    }
  }
  if (fclose(f) != 0)
    ok = 0;
  if (!ok)
    return kiln_npy_fail(err, err_size, "%s: write failed: %s", path,
                         strerror(errno));
  return 0;
}

void kiln_npy_free(kiln_npy_array *array) {
  if (!array)
    return;
  free(array->data);
  array->data = NULL;
  array->count = 0;
}
