print("physio")
