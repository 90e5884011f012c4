//===- ElfDataObject.cpp - A relocatable object holding one data blob -----===//
#include "compiler/link/ElfDataObject.h"

#include <cstdio>
#include <cstring>
#include <elf.h>
#include <vector>

namespace kiln {

namespace {

// Section indices, in file order after the mandatory null section.
enum : uint16_t {
  kRodata = 1,
  kNoteStack,
  kSymtab,
  kStrtab,
  kShstrtab,
  kSectionCount
};

constexpr uint64_t kDataAlign = 64; // the kernels' vector loads like 64

uint64_t alignUp(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

/// Appends `name` to a string table, returns its offset there.
uint32_t addName(std::string &table, const std::string &name) {
  uint32_t offset = (uint32_t)table.size();
  table += name;
  table += '\0';
  return offset;
}

void appendBytes(std::vector<char> &out, const void *p, size_t n) {
  const char *c = static_cast<const char *>(p);
  out.insert(out.end(), c, c + n);
}

} // namespace

bool writeElfDataObject(const std::string &path, ElfMachine machine,
                        const std::string &symbol, const void *bytes,
                        size_t size, std::string &error) {
  std::string shstrtab(1, '\0'), strtab(1, '\0');
  Elf64_Shdr sections[kSectionCount];
  std::memset(sections, 0, sizeof sections);

  // Layout: header | data (aligned) | symtab | strtab | shstrtab | headers.
  uint64_t dataOffset = alignUp(sizeof(Elf64_Ehdr), kDataAlign);
  uint64_t dataSize = size + 1;
  uint64_t symtabOffset = alignUp(dataOffset + dataSize, 8);

  Elf64_Sym symbols[2];
  std::memset(symbols, 0, sizeof symbols);
  symbols[1].st_name = addName(strtab, symbol);
  symbols[1].st_info = ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT);
  symbols[1].st_other = STV_DEFAULT;
  symbols[1].st_shndx = kRodata;
  symbols[1].st_value = 0;
  symbols[1].st_size = size;

  Elf64_Shdr &rodata = sections[kRodata];
  rodata.sh_name = addName(shstrtab, ".rodata");
  rodata.sh_type = SHT_PROGBITS;
  rodata.sh_flags = SHF_ALLOC;
  rodata.sh_offset = dataOffset;
  rodata.sh_size = dataSize;
  rodata.sh_addralign = kDataAlign;

  Elf64_Shdr &note = sections[kNoteStack];
  note.sh_name = addName(shstrtab, ".note.GNU-stack");
  note.sh_type = SHT_PROGBITS;
  note.sh_offset = symtabOffset;
  note.sh_addralign = 1;

  Elf64_Shdr &symtab = sections[kSymtab];
  symtab.sh_name = addName(shstrtab, ".symtab");
  symtab.sh_type = SHT_SYMTAB;
  symtab.sh_offset = symtabOffset;
  symtab.sh_size = sizeof symbols;
  symtab.sh_link = kStrtab;
  symtab.sh_info = 1; // index of the first global symbol
  symtab.sh_addralign = 8;
  symtab.sh_entsize = sizeof(Elf64_Sym);

  // The string tables follow the symbols; .shstrtab names itself, so its
  // size is taken after its own name went in.
  auto placeStringTable = [&](Elf64_Shdr &h, const char *name,
                              const std::string &table, uint64_t offset) {
    h.sh_name = addName(shstrtab, name);
    h.sh_type = SHT_STRTAB;
    h.sh_offset = offset;
    h.sh_size = table.size();
    h.sh_addralign = 1;
  };
  Elf64_Shdr &str = sections[kStrtab];
  placeStringTable(str, ".strtab", strtab, symtab.sh_offset + symtab.sh_size);
  Elf64_Shdr &shstr = sections[kShstrtab];
  placeStringTable(shstr, ".shstrtab", shstrtab, str.sh_offset + str.sh_size);

  uint64_t headersOffset = alignUp(shstr.sh_offset + shstr.sh_size, 8);

  Elf64_Ehdr header;
  std::memset(&header, 0, sizeof header);
  std::memcpy(header.e_ident, ELFMAG, SELFMAG);
  header.e_ident[EI_CLASS] = ELFCLASS64;
  header.e_ident[EI_DATA] = ELFDATA2LSB;
  header.e_ident[EI_VERSION] = EV_CURRENT;
  header.e_ident[EI_OSABI] = ELFOSABI_NONE;
  header.e_type = ET_REL;
  header.e_machine = machine == ElfMachine::AArch64 ? EM_AARCH64 : EM_X86_64;
  header.e_version = EV_CURRENT;
  header.e_shoff = headersOffset;
  header.e_ehsize = sizeof(Elf64_Ehdr);
  header.e_shentsize = sizeof(Elf64_Shdr);
  header.e_shnum = kSectionCount;
  header.e_shstrndx = kShstrtab;

  // Everything but the blob is small: build it in memory, write the blob
  // from the caller's buffer without copying it.
  std::vector<char> head, tail;
  appendBytes(head, &header, sizeof header);
  head.resize(dataOffset, '\0');
  tail.push_back('\0'); // the byte after the blob
  tail.resize(symtabOffset - dataOffset - size, '\0');
  appendBytes(tail, symbols, sizeof symbols);
  appendBytes(tail, strtab.data(), strtab.size());
  appendBytes(tail, shstrtab.data(), shstrtab.size());
  tail.resize(headersOffset - dataOffset - size, '\0');
  appendBytes(tail, sections, sizeof sections);

  FILE *f = std::fopen(path.c_str(), "wb");
  bool ok = f && std::fwrite(head.data(), 1, head.size(), f) == head.size() &&
            (size == 0 || std::fwrite(bytes, 1, size, f) == size) &&
            std::fwrite(tail.data(), 1, tail.size(), f) == tail.size();
  if (f && std::fclose(f) != 0)
    ok = false;
  if (!ok)
    error = "cannot write '" + path + "'";
  return ok;
}

} // namespace kiln
