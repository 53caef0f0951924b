"""The GeoIP database the log pipeline places requests with: what the file in use is, how old, whose attribution
it needs and how much of a day it placed (database), how much of the address space two databases place alike
(probe), and the monthly download that swaps a checked new file in (update)."""
