// OpenCC's C interface (Debian's libopencc-dev): Traditional → Simplified conversion for the importer.
#include <opencc/opencc.h>
