# Every line of data/pretrained/SHA256SUMS must appear in data/pretrained/README.md, and
# the README must list no other file's checksum: the provenance a reader sees is the one
# the checksum test holds the files to.
file(STRINGS ${DIR}/SHA256SUMS sums)
file(READ ${DIR}/README.md readme)
set(count 0)
foreach(line IN LISTS sums)
  string(FIND "${readme}" "${line}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "data/pretrained/README.md lacks the line '${line}' of SHA256SUMS")
  endif()
  math(EXPR count "${count} + 1")
endforeach()
string(REGEX MATCHALL "[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]" listed "${readme}")
list(LENGTH listed n)
if(NOT n EQUAL count)
  message(FATAL_ERROR "data/pretrained/README.md lists ${n} checksums, SHA256SUMS ${count}")
endif()
message(STATUS "${count} checksums, the same in README.md and SHA256SUMS")
