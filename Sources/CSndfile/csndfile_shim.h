// libsndfile as it is: Swift imports its functions and format codes directly. Only the Audio
// module imports this shim.
#include <sndfile.h>
