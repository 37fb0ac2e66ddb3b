# cmake -DZONEINFO=/usr/share/zoneinfo -DLIST=zones.txt -DOUT=file.cc -DOUT_JS=zones.js
#       -P RegimenEmbedZones.cmake
# Writes the TZif bytes of every zone named in LIST (one per line; '#' starts a comment) as a
# table { name, bytes, size } in namespace regimen::wasm, sorted by name, and the names as the
# ES module OUT_JS (`export const timeZones = [...]`) for the package.
file(STRINGS ${LIST} lines)
set(names "")
foreach(line ${lines})
  string(REGEX REPLACE "#.*" "" line "${line}")
  string(STRIP "${line}" line)
  if(line)
    list(APPEND names "${line}")
  endif()
endforeach()
list(SORT names)
list(REMOVE_DUPLICATES names)
set(body "")
set(table "")
set(js "")
set(index 0)
foreach(name ${names})
  if(NOT EXISTS ${ZONEINFO}/${name})
    message(FATAL_ERROR "${LIST}: no zoneinfo file ${ZONEINFO}/${name} (is tzdata installed?)")
  endif()
  file(READ ${ZONEINFO}/${name} hex HEX)
  # A TZif file of version 2 or later holds its data twice: with 32-bit times for old readers,
  # then with 64-bit times. Abseil reads only the second copy (it skips the first by the counts of
  # the first header), so keep the first header with every count set to 0 and drop its data.
  string(SUBSTRING "${hex}" 8 2 version)
  if(NOT version STREQUAL "00")
    set(counts "")
    foreach(offset 20 24 28 32 36 40)
      math(EXPR at "${offset} * 2")
      string(SUBSTRING "${hex}" ${at} 8 word)
      math(EXPR value "0x${word}")
      list(APPEND counts ${value})
    endforeach()
    list(GET counts 0 isutcnt)
    list(GET counts 1 isstdcnt)
    list(GET counts 2 leapcnt)
    list(GET counts 3 timecnt)
    list(GET counts 4 typecnt)
    list(GET counts 5 charcnt)
    math(EXPR v1 "44 + ${timecnt} * 5 + ${typecnt} * 6 + ${charcnt} + ${leapcnt} * 8 + ${isstdcnt} + ${isutcnt}")
    math(EXPR v1_hex "${v1} * 2")
    string(SUBSTRING "${hex}" 0 40 head)
    string(SUBSTRING "${hex}" ${v1_hex} -1 rest)
    set(hex "${head}000000000000000000000000000000000000000000000000${rest}")
  endif()
  string(LENGTH "${hex}" length)
  math(EXPR size "${length} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(APPEND body "const unsigned char kZone${index}[] = {${bytes}};\n")
  string(APPEND table "    {\"${name}\", kZone${index}, ${size}},\n")
  string(APPEND js "  \"${name}\",\n")
  math(EXPR index "${index} + 1")
endforeach()
file(WRITE ${OUT} "// Generated from ${LIST} and ${ZONEINFO} by cmake/RegimenEmbedZones.cmake.\n"
  "#include <cstddef>\n#include \"bindings/js/wasm/zoneinfo.h\"\n"
  "namespace regimen::wasm {\nnamespace {\n${body}}  // namespace\n"
  "const EmbeddedZone kEmbeddedZones[] = {\n${table}};\n"
  "const std::size_t kEmbeddedZoneCount = ${index};\n}  // namespace regimen::wasm\n")
file(WRITE ${OUT_JS} "// Generated from ${LIST} by cmake/RegimenEmbedZones.cmake: the IANA time zones\n"
  "// the WebAssembly module carries.\nexport const timeZones = Object.freeze([\n${js}]);\n")
