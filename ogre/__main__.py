"""``python -m ogre --command tcp://127.0.0.1:5555 --response …``: run Ogre until terminated."""

from ogre.service import main

main()
