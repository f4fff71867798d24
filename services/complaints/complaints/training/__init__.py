"""Training the complaint classifier (投诉分类模型训练): scikit-learn, never needed at run time."""
