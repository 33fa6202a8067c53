// expat's C interface (Debian's libexpat1-dev): the importer's reader of word/document.xml. Foundation's XMLParser
// would do as well, but linking it loads libxml2 and ICU into every duban command (about 1.5 ms of each start).
#include <expat.h>
