import CMPI
import Collectives
