# cmake -DIN=file -DOUT=file.cc -DNAME=kName -P RegimenEmbedBytes.cmake
# Writes the bytes of IN as `const unsigned char regimen::cli::NAME[]` and `NAME##Size`.
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" length)
math(EXPR size "${length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)"
       "\\1\n" bytes "${bytes}")
file(WRITE ${OUT} "// Generated from ${IN} by cmake/RegimenEmbedBytes.cmake.\n"
  "#include <cstddef>\nnamespace regimen::cli {\n"
  "extern const unsigned char ${NAME}[];\nextern const std::size_t ${NAME}Size;\n"
  "const unsigned char ${NAME}[] = {\n${bytes}};\n"
  "const std::size_t ${NAME}Size = ${size};\n}  // namespace regimen::cli\n")
