print("physionet-sim")
