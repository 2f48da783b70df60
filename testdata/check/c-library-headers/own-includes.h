/* A project header that includes what its users need. */
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <unistd.h>
