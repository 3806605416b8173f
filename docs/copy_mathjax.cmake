# Copies Debian's MathJax 2 into the site, without what an offline reader never loads:
# the unminified sources, the tests, the SVG output and the STIX fonts (54 MB -> ~17 MB).
file(COPY ${SRC}/ DESTINATION ${DST} FOLLOW_SYMLINK_CHAIN
     PATTERN "unpacked" EXCLUDE
     PATTERN "test" EXCLUDE
     PATTERN "SVG" EXCLUDE
     PATTERN "STIX-Web" EXCLUDE)
